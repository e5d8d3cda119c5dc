-- The `webshop` contract tables as one plain DuckDB script: the benchmark's lower bound.
--
-- No orchestration, no ledger, no quarantine table, no checks: read_json over the daily extracts
-- in landing/webshop/<table>/, then the rules of our models in CTEs, into `dim_customer`,
-- `dim_product`, `dim_date`, `fct_order_status_changes`, `fct_orders`, `fct_order_items`,
-- `fct_sessions`, `mart_weekly_ship_time`, `mart_last_session_cart` and `mart_weekly_discount`.
-- Set the landing folder first, e.g. in the duckdb CLI:
--     SET VARIABLE landing_dir = 'data/landing/webshop';
--     .read benchmarks/webshop_floor.sql
-- (benchmarks/bench.py runs it with the duckdb Python package in a subprocess).
--
-- Rules (the spec's `webshop` domain, issue 14 item 3, README "The `webshop` domain"): a row
-- needs an integer id and ISO created_at/modified_at (no offset: UTC); a version is an id and
-- its modified_at (an event: its id), and a later copy of a version is a duplicate. Re-delivered
-- files repeat the same lines, so which copy is kept does not matter: the first one found.
-- Type-2 dimensions collapse consecutive versions with equal attributes; the keys are md5 text
-- of `id|valid_from` (customers, products) and `customer_id|started_at` (sessions), as ours.
-- "The version valid at time t" is an ASOF join: versions of a key never overlap nor leave a gap.

SET TimeZone = 'UTC';

-- ISO-8601 text -> naive UTC timestamp, NULL when it is no ISO date and time (as our models).
CREATE OR REPLACE TEMP MACRO utc_time(text) AS CASE
    WHEN regexp_full_match(
        upper(text), '\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?'
    ) THEN try_cast(upper(text) AS TIMESTAMPTZ) AT TIME ZONE 'UTC'
END;
CREATE OR REPLACE TEMP MACRO row_time(text) AS utc_time(nullif(trim(text), ''));
-- a stored measure: rounded to 6 decimals, as our round_measure
CREATE OR REPLACE TEMP MACRO measure(x) AS round(CAST(x AS DOUBLE), 6);
CREATE OR REPLACE TEMP MACRO seconds_between(a, b) AS (epoch_us(b) - epoch_us(a)) / 1000000.0;
-- ignore_errors: a line that is no JSON object reads as all NULL (no id: left out)
CREATE OR REPLACE TEMP MACRO extract_of(name, cols) AS TABLE
    SELECT * FROM read_json(
        getvariable('landing_dir') || '/' || name || '/*.jsonl',
        format = 'newline_delimited', records = true, ignore_errors = true, columns = cols
    );

-- --- the operational rows: valid, one per version ---------------------------------------------

CREATE OR REPLACE TEMP TABLE customer_versions AS
SELECT *
FROM (
    SELECT
        try_cast(id AS BIGINT) AS customer_id,
        row_time(created_at) AS created_at,
        row_time(modified_at) AS modified_at,
        name, email, phone_number
    FROM extract_of('customer', {
        id: 'VARCHAR', created_at: 'VARCHAR', modified_at: 'VARCHAR',
        name: 'VARCHAR', email: 'VARCHAR', phone_number: 'VARCHAR'
    })
)  -- typed first: the filters see the typed columns, not the raw text
WHERE customer_id IS NOT NULL AND created_at IS NOT NULL AND modified_at IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY customer_id, modified_at) = 1;

CREATE OR REPLACE TEMP TABLE product_versions AS
SELECT *
FROM (
    SELECT
        try_cast(id AS BIGINT) AS product_id,
        row_time(created_at) AS created_at,
        row_time(modified_at) AS modified_at,
        name, description, EAN AS ean,
        measure(try_cast(price AS DOUBLE)) AS price,
        measure(try_cast(discount_percent AS DOUBLE)) AS discount_percent,
        try_cast(brand_id AS BIGINT) AS brand_id,
        try_cast(inventory AS BIGINT) AS inventory,
        try_cast(published AS BOOLEAN) AS published
    FROM extract_of('product', {
        id: 'VARCHAR', created_at: 'VARCHAR', modified_at: 'VARCHAR', name: 'VARCHAR',
        description: 'VARCHAR', EAN: 'VARCHAR', price: 'VARCHAR', discount_percent: 'VARCHAR',
        brand_id: 'VARCHAR', inventory: 'VARCHAR', published: 'VARCHAR'
    })
)  -- typed first: the filters see the typed columns, not the raw text
WHERE product_id IS NOT NULL AND created_at IS NOT NULL AND modified_at IS NOT NULL
    AND NOT coalesce(price < 0, false)
    AND NOT coalesce(discount_percent < 0 OR discount_percent > 100, false)
QUALIFY row_number() OVER (PARTITION BY product_id, modified_at) = 1;

CREATE OR REPLACE TEMP TABLE order_versions AS
SELECT *
FROM (
    SELECT
        try_cast(id AS BIGINT) AS order_id,
        row_time(created_at) AS created_at,
        row_time(modified_at) AS modified_at,
        try_cast(customer_id AS BIGINT) AS customer_id,
        lower(trim(status)) AS order_status,
        try_cast(customer_address_id AS BIGINT) AS customer_address_id
    FROM extract_of('order', {
        id: 'VARCHAR', created_at: 'VARCHAR', modified_at: 'VARCHAR', customer_id: 'VARCHAR',
        status: 'VARCHAR', customer_address_id: 'VARCHAR'
    })
)  -- typed first: the filters see the typed columns, not the raw text
WHERE order_id IS NOT NULL AND created_at IS NOT NULL AND modified_at IS NOT NULL
    AND order_status IN ('placed', 'paid', 'shipped', 'delivered', 'cancelled')
QUALIFY row_number() OVER (PARTITION BY order_id, modified_at) = 1;

-- an order line needs a valid row of its order and of its product (in any file)
CREATE OR REPLACE TEMP TABLE line_versions AS
SELECT *
FROM (
    SELECT
        try_cast(id AS BIGINT) AS order_item_id,
        row_time(created_at) AS created_at,
        row_time(modified_at) AS modified_at,
        try_cast(order_id AS BIGINT) AS order_id,
        try_cast(product_id AS BIGINT) AS product_id,
        try_cast(quantity AS BIGINT) AS quantity,
        measure(try_cast(price AS DOUBLE)) AS price
    FROM extract_of('orderitem', {
        id: 'VARCHAR', created_at: 'VARCHAR', modified_at: 'VARCHAR', order_id: 'VARCHAR',
        product_id: 'VARCHAR', quantity: 'VARCHAR', price: 'VARCHAR'
    })
)  -- typed first: the filters see the typed columns, not the raw text
WHERE order_item_id IS NOT NULL AND created_at IS NOT NULL AND modified_at IS NOT NULL
    AND NOT coalesce(quantity < 0, false) AND NOT coalesce(price < 0, false)
    AND order_id IN (SELECT order_id FROM order_versions)
    AND product_id IN (SELECT product_id FROM product_versions)
QUALIFY row_number() OVER (PARTITION BY order_item_id, modified_at) = 1;

-- the events of logged-in customers (only sessions read events): `event` as an object or as a
-- string holding one; a cart event's quantity defaults to 1. Filtering on the customer before
-- deduplicating is the same as after: the copies of an event id are the same line.
CREATE OR REPLACE TEMP TABLE customer_events AS
WITH raw AS (
    SELECT
        try_cast(id AS BIGINT) AS event_id,
        nullif(trim(type), '') AS event_type,
        CASE json_type(event)
            WHEN 'OBJECT' THEN event
            WHEN 'VARCHAR' THEN CASE
                WHEN json_type(try_cast(event ->> '$' AS JSON)) = 'OBJECT'
                    THEN try_cast(event ->> '$' AS JSON)
            END
        END AS payload
    FROM extract_of('event', {id: 'VARCHAR', type: 'VARCHAR', event: 'JSON'})
),
typed AS (
    SELECT
        event_id,
        event_type,
        row_time(payload ->> 'timestamp') AS event_at,
        try_cast(payload ->> 'customer-id' AS BIGINT) AS customer_id,
        try_cast(payload ->> 'product' AS BIGINT) AS product_id,
        try_cast(payload ->> 'quantity' AS BIGINT) AS raw_quantity
    FROM raw
    WHERE event_id IS NOT NULL AND payload IS NOT NULL
)
SELECT
    * EXCLUDE (raw_quantity),
    CASE WHEN event_type IN ('add_product_to_cart', 'remove_product_from_cart')
        THEN coalesce(raw_quantity, 1) ELSE raw_quantity END AS quantity
FROM typed
WHERE event_at IS NOT NULL AND NOT coalesce(raw_quantity < 0, false)
    AND customer_id IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY event_id) = 1;

-- --- type-2 dimensions ----------------------------------------------------------------------

CREATE OR REPLACE TABLE dim_customer AS
WITH compared AS (
    SELECT
        *,
        lag(modified_at) OVER w IS NULL
            OR name IS DISTINCT FROM lag(name) OVER w
            OR email IS DISTINCT FROM lag(email) OVER w
            OR phone_number IS DISTINCT FROM lag(phone_number) OVER w AS starts_version
    FROM customer_versions
    WINDOW w AS (PARTITION BY customer_id ORDER BY modified_at)
)
SELECT
    md5(CAST(customer_id AS VARCHAR) || '|' || CAST(modified_at AS VARCHAR)) AS customer_key,
    customer_id, created_at, name, email, phone_number,
    modified_at AS valid_from,
    lead(modified_at) OVER w AS valid_to,
    lead(modified_at) OVER w IS NULL AS is_current
FROM compared
WHERE starts_version
WINDOW w AS (PARTITION BY customer_id ORDER BY modified_at);

CREATE OR REPLACE TABLE dim_product AS
WITH compared AS (
    SELECT
        *,
        lag(modified_at) OVER w IS NULL
            OR name IS DISTINCT FROM lag(name) OVER w
            OR description IS DISTINCT FROM lag(description) OVER w
            OR ean IS DISTINCT FROM lag(ean) OVER w
            OR price IS DISTINCT FROM lag(price) OVER w
            OR discount_percent IS DISTINCT FROM lag(discount_percent) OVER w
            OR brand_id IS DISTINCT FROM lag(brand_id) OVER w
            OR inventory IS DISTINCT FROM lag(inventory) OVER w
            OR published IS DISTINCT FROM lag(published) OVER w AS starts_version
    FROM product_versions
    WINDOW w AS (PARTITION BY product_id ORDER BY modified_at)
)
SELECT
    md5(CAST(product_id AS VARCHAR) || '|' || CAST(modified_at AS VARCHAR)) AS product_key,
    product_id, created_at, name, description, ean, price, discount_percent, brand_id,
    inventory, published,
    modified_at AS valid_from,
    lead(modified_at) OVER w AS valid_to,
    lead(modified_at) OVER w IS NULL AS is_current
FROM compared
WHERE starts_version
WINDOW w AS (PARTITION BY product_id ORDER BY modified_at);

-- --- orders ---------------------------------------------------------------------------------

CREATE OR REPLACE TABLE fct_order_status_changes AS
SELECT
    order_id,
    order_status AS status,
    modified_at AS changed_at,
    lag(order_status) OVER (PARTITION BY order_id ORDER BY modified_at) AS previous_status,
    created_at AS placed_at,
    customer_id,
    customer_address_id
FROM order_versions;

-- each line's latest version, priced with the product version valid when its order was placed
CREATE OR REPLACE TABLE fct_order_items AS
WITH latest_orders AS (
    SELECT order_id, created_at AS placed_at
    FROM order_versions
    QUALIFY row_number() OVER (PARTITION BY order_id ORDER BY modified_at DESC) = 1
),
latest_lines AS (
    SELECT l.*, o.placed_at, measure(l.quantity * l.price) AS line_value
    FROM line_versions AS l
    JOIN latest_orders AS o USING (order_id)
    QUALIFY row_number() OVER (PARTITION BY order_item_id ORDER BY l.modified_at DESC) = 1
)
SELECT
    l.order_item_id, l.order_id, l.product_id, p.product_key, l.placed_at, l.quantity,
    l.price, p.discount_percent, l.line_value,
    measure(l.line_value * p.discount_percent / 100.0) AS line_discount
FROM latest_lines AS l
ASOF LEFT JOIN dim_product AS p
    ON l.product_id = p.product_id AND l.placed_at >= p.valid_from;

CREATE OR REPLACE TABLE fct_orders AS
WITH orders AS (
    SELECT
        order_id, customer_id, created_at AS placed_at, order_status AS current_status,
        min(modified_at) FILTER (WHERE order_status = 'shipped')
            OVER (PARTITION BY order_id) AS shipped_at
    FROM order_versions
    QUALIFY row_number() OVER (PARTITION BY order_id ORDER BY modified_at DESC) = 1
),
lines AS (
    SELECT
        order_id, count(*) AS line_count, sum(line_value) AS order_value,
        sum(line_discount) AS discount_total
    FROM fct_order_items
    GROUP BY order_id
)
SELECT
    o.order_id, o.customer_id, c.customer_key, o.placed_at, o.shipped_at,
    measure(seconds_between(o.placed_at, o.shipped_at) / 3600.0) AS hours_to_ship,
    o.current_status,
    coalesce(l.line_count, 0) AS line_count,
    measure(coalesce(l.order_value, 0)) AS order_value,
    measure(coalesce(l.discount_total, 0)) AS discount_total
FROM orders AS o
LEFT JOIN lines AS l USING (order_id)
ASOF LEFT JOIN dim_customer AS c
    ON o.customer_id = c.customer_id AND o.placed_at >= c.valid_from;

-- --- sessions: a new one after MORE than 30 minutes without an event of the customer ---------

CREATE OR REPLACE TABLE fct_sessions AS
WITH numbered AS (
    SELECT
        *,
        sum(CASE WHEN previous_at IS NULL OR seconds_between(previous_at, event_at) > 1800
            THEN 1 ELSE 0 END) OVER (
            PARTITION BY customer_id ORDER BY event_at, event_id
            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
        ) AS session_number
    FROM (
        SELECT
            *,
            lag(event_at) OVER (PARTITION BY customer_id ORDER BY event_at, event_id)
                AS previous_at
        FROM customer_events
    )
),
priced AS (
    -- cart events at the price of the product version valid at the event
    SELECT
        e.customer_id, e.session_number, e.event_at, e.event_type,
        CASE e.event_type
            WHEN 'add_product_to_cart' THEN e.quantity * p.price
            WHEN 'remove_product_from_cart' THEN -e.quantity * p.price
        END AS cart_change
    FROM numbered AS e
    ASOF LEFT JOIN dim_product AS p  -- other events' prices are never used
        ON e.product_id = p.product_id AND e.event_at >= p.valid_from
),
sessions AS (
    SELECT
        customer_id,
        min(event_at) AS started_at,
        max(event_at) AS ended_at,
        count(*) AS event_count,
        bool_or(event_type = 'placed_order') AS placed_order,
        coalesce(sum(cart_change), 0) AS cart_change
    FROM priced
    GROUP BY customer_id, session_number
)
SELECT
    md5(CAST(customer_id AS VARCHAR) || '|' || CAST(started_at AS VARCHAR)) AS session_id,
    customer_id, started_at, ended_at, event_count,
    coalesce(placed_order, false) AS placed_order,
    measure(CASE WHEN cart_change > 0 THEN cart_change ELSE 0 END) AS cart_value
FROM sessions;

-- --- the calendar and the marts -------------------------------------------------------------

CREATE OR REPLACE TABLE dim_date AS
WITH business_days AS (
    SELECT CAST(placed_at AS DATE) AS day FROM fct_orders
    UNION ALL SELECT CAST(changed_at AS DATE) FROM fct_order_status_changes
    UNION ALL SELECT CAST(started_at AS DATE) FROM fct_sessions
    UNION ALL SELECT CAST(ended_at AS DATE) FROM fct_sessions
),
days AS (
    SELECT CAST(unnest(generate_series(
        coalesce(min(day), current_date), coalesce(max(day), current_date), INTERVAL 1 DAY
    )) AS DATE) AS calendar_date
    FROM business_days
)
SELECT
    calendar_date AS date,
    CAST(isoyear(calendar_date) AS INTEGER) AS iso_year,
    CAST(weekofyear(calendar_date) AS INTEGER) AS iso_week,
    CAST(date_trunc('week', calendar_date) AS DATE) AS week_start,
    CAST(date_trunc('month', calendar_date) AS DATE) AS month_start,
    CAST(month(calendar_date) AS INTEGER) AS month,
    CAST(quarter(calendar_date) AS INTEGER) AS quarter,
    CAST(year(calendar_date) AS INTEGER) AS year,
    CAST(isodow(calendar_date) AS INTEGER) AS day_of_week,
    isodow(calendar_date) >= 6 AS is_weekend
FROM days;

CREATE OR REPLACE TABLE mart_weekly_ship_time AS
SELECT
    CAST(date_trunc('week', placed_at) AS DATE) AS week_start,
    CAST(isoyear(placed_at) AS INTEGER) AS iso_year,
    CAST(weekofyear(placed_at) AS INTEGER) AS iso_week,
    count(*) AS orders_placed,
    count(shipped_at) AS orders_shipped,
    measure(avg(hours_to_ship)) AS avg_hours_placed_to_shipped
FROM fct_orders
GROUP BY ALL;

CREATE OR REPLACE TABLE mart_weekly_discount AS
SELECT
    CAST(date_trunc('week', placed_at) AS DATE) AS week_start,
    CAST(isoyear(placed_at) AS INTEGER) AS iso_year,
    CAST(weekofyear(placed_at) AS INTEGER) AS iso_week,
    count(*) AS orders,
    count(*) FILTER (WHERE current_status = 'cancelled') AS orders_cancelled,
    measure(coalesce(sum(discount_total) FILTER (WHERE current_status <> 'cancelled'), 0))
        AS total_discount
FROM fct_orders
GROUP BY ALL;

-- customers whose last session (latest started_at) holds a placed_order event
CREATE OR REPLACE TABLE mart_last_session_cart AS
SELECT s.customer_id, c.email, s.session_id, s.started_at, s.ended_at, s.cart_value
FROM (
    SELECT *
    FROM fct_sessions
    QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY started_at DESC) = 1
) AS s
LEFT JOIN dim_customer AS c ON s.customer_id = c.customer_id AND c.is_current
WHERE s.placed_order;
