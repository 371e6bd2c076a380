-- 0028 What a source says about an event: whether its date is the event's own, the page's publication date or
-- the day the page was seen (then the event happened on or before it); a validity at the precision stated
-- ('until 2023'); the kinds of evidence sources give that had no type: a certificate seen in force on a page or
-- in a scheme's list of holders, a certification audit of unstated kind, a management review.

ALTER TABLE event
    ADD COLUMN date_kind text NOT NULL DEFAULT 'event' CHECK (date_kind IN ('event', 'published', 'observed')),
    ADD COLUMN valid_until_to date,
    ADD COLUMN valid_until_precision text NOT NULL DEFAULT 'unknown'
        CHECK (valid_until_precision IN ('day', 'month', 'year', 'range', 'unknown'));
COMMENT ON COLUMN event.valid_until IS 'the earliest day the stated validity can mean; valid_until_to the latest';
UPDATE event SET valid_until_to = valid_until, valid_until_precision = 'day' WHERE valid_until IS NOT NULL;
ALTER TABLE event ADD CONSTRAINT event_valid_until_check
    CHECK ((valid_until_precision = 'unknown') = (valid_until IS NULL) AND (valid_until_to IS NULL) = (valid_until IS NULL));

ALTER TABLE event DROP CONSTRAINT event_type_check;
ALTER TABLE event ADD CONSTRAINT event_type_check CHECK (type IN (
    'decision', 'implementation_start', 'declaration', 'management_review',
    'stage1_audit', 'stage2_audit', 'certification', 'certification_audit', 'surveillance',
    'recertification', 'edition_transition', 'scope_change', 'certificate_observed', 'suspension',
    'withdrawal', 'expiry', 'self_assessment', 'improvement_plan', 'external_feedback', 'label_granted'));

DROP VIEW IF EXISTS event_document;  -- sql/functions/60_event_document.sql writes it again with the new columns
