// Issue 18: on a phone every table reflows into one card per row. This script labels each cell
// with its column heading (data-label, shown before the value) and marks the table "cards"; a
// table marked "no-cards" (a grid that only reads as a grid, e.g. the authorisation matrix) keeps
// its columns and scrolls inside its own box. Without this script tables scroll inside their box.
(function () {
  "use strict";
  function headings(table) {
    var rows = table.tHead ? table.tHead.rows : [];
    if (!rows.length) return null;  // a table of row headings reflows without labels
    var labels = [];
    Array.prototype.forEach.call(rows[rows.length - 1].cells, function (cell) {
      var span = cell.colSpan || 1;
      var text = cell.textContent.replace(/\s+/g, " ").trim();
      for (var i = 0; i < span; i += 1) labels.push(text);
    });
    return labels;
  }
  function label(table) {
    if (table.classList.contains("no-cards")) return;
    var labels = headings(table) || [];
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          var span = cell.colSpan || 1;
          if (span === 1 && !cell.hasAttribute("data-label") && labels[column]) {
            cell.setAttribute("data-label", labels[column]);
          }
          column += span;
        });
      });
    });
    table.classList.add("cards");
  }
  function labelAll(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("table"), label);
  }
  labelAll(document);
  // Tables that htmx loads later (the tabs of the employee file) are labelled as they arrive.
  document.addEventListener("htmx:afterSwap", function (event) { labelAll(event.target); });
})();
