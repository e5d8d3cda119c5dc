"""Machinery shared by every domain: warehouse access, landing files, ingestion, checks, dbt."""
