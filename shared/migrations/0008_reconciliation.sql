-- Placeholder on branch `schools` only, so that 0009 builds before recon-core's migration
-- 0008 (the reconciliation columns and event_sign_offs) is merged; that merge replaces it.
SELECT 1;
