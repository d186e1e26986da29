-- Replies to the service's mail go to the centre's own address.
ALTER TABLE centres ADD COLUMN reply_to text;
