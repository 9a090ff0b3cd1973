// Bulk selection on the reconciliation table: ticked rows (kept across redraws), a "select
// every row shown" box that follows the filter and search, and one action for the selection
// (the actions dialog sends them as one all-or-nothing request). The selection is only ever
// rows shown: a row the filter or search hides leaves it, so a bulk action never reaches a
// row staff cannot see, and the box is ticked exactly when every row shown is selected.
'use strict';

window.Recon = window.Recon || {};

Recon.bulk = (() => {
  const $ = (id) => document.getElementById(id);
  const selected = new Set();

  function isSelected(id) { return selected.has(id); }

  // Called by the table after every filter, search or redraw.
  function show() {
    const shown = Recon.filters.shownIds();
    // Someone no longer listed, or not shown, cannot stay selected.
    const visible = new Set(shown);
    for (const id of [...selected]) if (!visible.has(id)) selected.delete(id);
    $('bulk').hidden = selected.size === 0;
    $('bulk-count').textContent = `${selected.size} selected`;
    for (const box of document.querySelectorAll('#rows tr.row input.select')) {
      box.checked = selected.has(Number(box.closest('tr').dataset.participant));
    }
    const all = $('select-all');
    if (all) {
      all.checked = shown.length > 0 && shown.every((id) => selected.has(id));
      all.disabled = shown.length === 0;
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
  return { isSelected, toggle, clear, show, wireSelectAll };
})();
