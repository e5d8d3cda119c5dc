"""The type-2 checks of the `webshop` warehouse, in SQL over whole tables: each dimension's
versions per natural key (no overlap, no gap, exactly one current row), and each fact's
dimension key is the version valid at the fact's business time; and ship times >= 0."""

import dagster as dg

from event_assets.core.names import asset_key, qualified
from event_assets.core.warehouse import WAREHOUSE_POOL, Warehouse

DOMAIN = "webshop"
SAMPLE_SIZE = 5


def type2_violations(entity: str) -> str:
    """The natural keys of dim_<entity> whose versions break the type-2 invariants, with why."""
    dim, key = qualified(DOMAIN, f"dim_{entity}"), f"{entity}_id"
    return f"""
        with ordered as (
            select {key}, valid_from, valid_to, is_current,
                   lead(valid_from) over (partition by {key} order by valid_from) as next_from
            from {dim}
        )
        select {key} as natural_key,
               case when count(*) filter (where is_current) <> 1 then 'not one current row'
                    when count(*) filter (where valid_to is distinct from next_from) > 0
                        then 'overlap or gap'
               end as violation
        from ordered group by {key} having violation is not null"""


def misplaced_keys(fact: str, entity: str, business_time: str) -> str:
    """Fact rows whose <entity>_key is not the version valid at `business_time`."""
    fact_table, dim = qualified(DOMAIN, fact), qualified(DOMAIN, f"dim_{entity}")
    key, natural = f"{entity}_key", f"{entity}_id"
    return f"""
        select f.{natural} as natural_key, f.{key} as stored_key, d.{key} as expected_key
        from {fact_table} f
        left join {dim} d
            on f.{natural} = d.{natural} and d.valid_from <= f.{business_time}
            and (d.valid_to is null or f.{business_time} < d.valid_to)
        where f.{key} is distinct from d.{key}"""


def _violations_check(
    asset: str,
    name: str,
    description: str,
    sql: str,
    severity: dg.AssetCheckSeverity = dg.AssetCheckSeverity.ERROR,
):
    @dg.asset_check(
        asset=asset_key(DOMAIN, asset), name=name, description=description, pool=WAREHOUSE_POOL
    )
    def _check(warehouse: Warehouse) -> dg.AssetCheckResult:
        with warehouse.connect(read_only=True) as conn:
            found = conn.execute(f"select * from ({sql}) limit {SAMPLE_SIZE}").df()
            count = conn.execute(f"select count(*) from ({sql})").fetchone()[0]
        return dg.AssetCheckResult(
            passed=count == 0,
            severity=severity,
            metadata={
                "violations": count,
                "sample": dg.MetadataValue.md(found.astype(str).to_markdown(index=False)),
            },
        )

    return _check


QUALITY_CHECKS = [
    *(
        _violations_check(
            f"dim_{entity}",
            f"dim_{entity}_is_type2",
            f"Per {entity}_id: exactly one current version, and each version's valid_to is the "
            "next version's valid_from (no overlap, no gap).",
            type2_violations(entity),
        )
        for entity in ("customer", "product")
    ),
    # WARN: the extract's times are the shop's; an order seen shipped before it was placed
    # is worth a look, and stops nothing
    _violations_check(
        "fct_orders",
        "orders_ship_after_placement",
        "hours_to_ship >= 0: no order is seen shipped before its placement (WARN).",
        f"select order_id, placed_at, shipped_at, hours_to_ship "
        f"from {qualified(DOMAIN, 'fct_orders')} where hours_to_ship < 0",
        severity=dg.AssetCheckSeverity.WARN,
    ),
    _violations_check(
        "fct_orders",
        "fct_orders_customer_key_valid_at_placement",
        "Each order's customer_key is the dim_customer version valid at placed_at.",
        misplaced_keys("fct_orders", "customer", "placed_at"),
    ),
    _violations_check(
        "fct_order_items",
        "fct_order_items_product_key_valid_at_placement",
        "Each line's product_key is the dim_product version valid at its order's placed_at.",
        misplaced_keys("fct_order_items", "product", "placed_at"),
    ),
]
