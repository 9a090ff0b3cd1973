// Bulk selection on the reconciliation table: ticked rows (kept across redraws), a "select
// every row shown" box that follows the filter and search, and one action for the selection
// (the actions dialog sends them as one all-or-nothing request).
'use strict';

window.Recon = window.Recon || {};

Recon.bulk = (() => {
  const $ = (id) => document.getElementById(id);
  const selected = new Set();

  function isSelected(id) { return selected.has(id); }

  function show() {
    const data = Recon.state.data;
    // Someone no longer listed cannot stay selected.
    if (data) {
      const listed = new Set(data.rows.map((r) => r.participant_id));
      for (const id of [...selected]) if (!listed.has(id)) selected.delete(id);
    }
    $('bulk').hidden = selected.size === 0;
    $('bulk-count').textContent = `${selected.size} selected`;
    for (const box of document.querySelectorAll('#rows tr.row input.select')) {
      box.checked = selected.has(Number(box.closest('tr').dataset.participant));
    }
    const all = $('select-all');
    if (all) {
      const shown = Recon.filters.shownIds();
      all.checked = shown.length > 0 && shown.every((id) => selected.has(id));
    }
  }

  function toggle(id, on) {
    if (on) selected.add(id);
    else selected.delete(id);
    show();
  }

  function clear() {
    selected.clear();
    show();
  }

  function wireSelectAll() {
    const all = $('select-all');
    if (all && !all.dataset.wired) {
      all.dataset.wired = 'yes';
      all.addEventListener('change', () => {
        for (const id of Recon.filters.shownIds()) {
          if (all.checked) selected.add(id);
          else selected.delete(id);
        }
        show();
      });
    }
    show();
  }

  function settle() {
    const rows = Recon.state.data.rows.filter((r) => selected.has(r.participant_id));
    if (!rows.length) return;
    Recon.actions.open({ people: rows.map((r) => ({ participant_id: r.participant_id, name: r.name })) });
  }

  function wire() {
    $('bulk-settle').addEventListener('click', settle);
    $('bulk-clear').addEventListener('click', clear);
  }

  document.addEventListener('DOMContentLoaded', wire);
  return { isSelected, toggle, clear, wireSelectAll };
})();
