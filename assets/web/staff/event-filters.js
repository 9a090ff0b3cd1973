// Filters (absent, late, left early, unsettled) and the search box of the reconciliation
// table. Matching is done here on the loaded rows: the search text is never sent anywhere
// or put into HTML, so whatever is typed (quotes, SQL, tags) is only compared as text.
'use strict';

window.Recon = window.Recon || {};

Recon.filters = (() => {
  let filter = 'all';
  let search = '';

  // Lower case without accents, so "sian" finds "Siân".
  function fold(s) {
    return String(s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  }

  function matchesFilter(row) {
    switch (filter) {
      case 'absent': return row.status === 'absent';
      case 'late': return row.status === 'late' || row.minutes_late !== null;
      case 'left_early': return row.status === 'left_early' || row.left_early;
      case 'unsettled': return row.unsettled;
      default: return true;
    }
  }

  function matches(row) {
    if (!matchesFilter(row)) return false;
    if (!search) return true;
    return [row.name, row.school, row.urn, row.room, row.role_label].some((t) => fold(t).includes(search));
  }

  function wire() {
    const f = document.getElementById('filter');
    const s = document.getElementById('search');
    f.addEventListener('change', () => { filter = f.value; Recon.table.applyFilters(); });
    s.addEventListener('input', () => { search = fold(s.value.trim()); Recon.table.applyFilters(); });
  }

  // The rows shown now (the bulk selection's "select all" takes these).
  function shownIds() {
    return (Recon.state.data ? Recon.state.data.rows : []).filter(matches).map((r) => r.participant_id);
  }

  document.addEventListener('DOMContentLoaded', wire);
  return { matches, shownIds };
})();
