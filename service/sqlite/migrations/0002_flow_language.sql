-- The language of the person who uses a flow (a tag of the language
-- table, '' when not known), and of each message: SMS go out in it,
-- e-mails carry it first.
ALTER TABLE flows ADD COLUMN language TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN language TEXT NOT NULL DEFAULT '';
