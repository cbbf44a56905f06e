-- The dossier list pages newest-first (ORDER BY num DESC) under a state or field filter; without
-- these a rare state (e.g. waiting for supplement) scans the whole table backwards.
CREATE INDEX dossiers_state_num ON dossiers (state, num);
CREATE INDEX dossiers_field_num ON dossiers (field, num);
DROP INDEX dossiers_state;
