-- Each customer's orders in its purchase-index row: each order's instant (UTC ticks) and revenue, ascending by instant
-- (see Prediction/PurchaseOrderCodec), so that segment stats count members' orders per minute, hour or day. The
-- purchase days are derived from them: a row written with orders leaves `days` empty. Rows written before this
-- migration keep their days and have no orders (NULL) until their customer writes the row again — with its next
-- commit of any kind, or the store's next reclassification pass (Customers/CustomerGrain, OrdersRecorded).
ALTER TABLE cg_purchases ADD COLUMN order_list BLOB;
