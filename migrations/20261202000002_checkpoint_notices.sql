-- Read-your-writes and subscriptions wait for projectors without polling: every move of a
-- checkpoint, by a live projector or a rebuild's swap in any process, is announced at its
-- commit on channel `civic_checkpoints` as `projector:position`.
CREATE FUNCTION read.checkpoint_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('civic_checkpoints', NEW.projector || ':' || NEW.position);
    RETURN NULL;
END;
$$;

CREATE TRIGGER checkpoint_moved
    AFTER UPDATE OF position ON read.checkpoints
    FOR EACH ROW WHEN (NEW.position IS DISTINCT FROM OLD.position)
    EXECUTE FUNCTION read.checkpoint_moved();
