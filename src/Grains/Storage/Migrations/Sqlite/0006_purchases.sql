-- Each customer's purchase days (one per UTC day with orders: the day and its revenue), written in the customer's
-- journal commit when its orders change. A derived index like cg_customers (the customer's state holds the orders):
-- what a store's purchase models are fitted from without waking every customer. Customers without orders have none.
CREATE TABLE IF NOT EXISTS cg_purchases
(
    store       TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    days        BLOB NOT NULL,  -- see Prediction/PurchaseDayCodec
    orders      INTEGER NOT NULL,
    revenue     REAL    NOT NULL,  -- net of refunds
    PRIMARY KEY (store, customer_id)
) WITHOUT ROWID;
