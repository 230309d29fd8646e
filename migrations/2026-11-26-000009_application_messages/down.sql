DROP TABLE webhooks;
DELETE FROM outbox WHERE channel = 'webhook';
ALTER TABLE outbox
    DROP COLUMN application_id,
    DROP CONSTRAINT outbox_channel_check,
    ADD CONSTRAINT outbox_channel_check CHECK (channel IN ('sms', 'email'));
