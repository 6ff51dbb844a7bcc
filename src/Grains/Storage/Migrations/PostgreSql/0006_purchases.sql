-- Each customer's purchase days (one per UTC day with orders: the day and its revenue), written in the customer's
-- journal commit when its orders change. A derived index like cg_customers (the customer's state holds the orders):
-- what a store's purchase models are fitted from without waking every customer. Customers without orders have none.
CREATE TABLE IF NOT EXISTS cg_purchases
(
    store       text  NOT NULL,
    customer_id text  COLLATE "C" NOT NULL,
    days        bytea NOT NULL,  -- see Prediction/PurchaseDayCodec
    orders      integer NOT NULL,
    revenue     double precision NOT NULL,  -- net of refunds
    PRIMARY KEY (store, customer_id)
);
