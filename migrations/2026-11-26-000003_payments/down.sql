DROP TABLE rate_limits;
DROP TABLE sandbox_orders;
DROP TABLE payment_events;
DROP TABLE payments;
