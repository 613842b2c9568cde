// The data map's behaviour: filter by verdict and category, sort the rows, sort the findings tables,
// mark the selected cell. It reads everything from the DOM (data-* attributes), holds no data itself,
// and the page works without it: cells are plain links to the findings (shown by CSS :target).
(function () {
  "use strict";
  var boxes = Array.prototype.slice.call(document.querySelectorAll("#verdict-filter input[data-verdict]"));
  var rank = {}, colours = {};
  boxes.forEach(function (box, position) {
    rank[box.dataset.verdict] = position;
    colours[box.dataset.verdict] = box.dataset.colour;
  });
  var matrix = document.getElementById("matrix");
  var categoryInput = document.getElementById("category-filter");
  var hideEmpty = document.getElementById("hide-empty");
  var sortRows = document.getElementById("sort-rows");
  var showAll = document.getElementById("show-all");

  function all(selector, root) {
    return Array.prototype.slice.call((root || document).querySelectorAll(selector));
  }

  function shownVerdicts() {
    var shown = {};
    boxes.forEach(function (box) { if (box.checked) { shown[box.dataset.verdict] = true; } });
    return shown;
  }

  // "undeclared:3 declared:40" -> [["undeclared", 3], ["declared", 40]]
  function parseCounts(text) {
    return text.split(" ").filter(Boolean).map(function (pair) {
      var at = pair.lastIndexOf(":");
      return [pair.slice(0, at), parseInt(pair.slice(at + 1), 10) || 0];
    });
  }

  function filterMatrix(shown) {
    if (!matrix) { return; }
    var query = categoryInput.value.trim().toLowerCase();
    var hiddenColumns = {};
    all("th.cat", matrix).forEach(function (th) {
      var text = [th.dataset.category, th.dataset.name, th.dataset.group].join(" ").toLowerCase();
      th.hidden = query !== "" && text.indexOf(query) < 0;
      if (th.hidden) { hiddenColumns[th.dataset.col] = true; }
    });
    all("th.cgroup", matrix).forEach(function (th) {
      var visible = all("th.cat", matrix).filter(function (cat) {
        return cat.dataset.group === th.dataset.group && !cat.hidden;
      }).length;
      th.hidden = visible === 0;
      th.colSpan = Math.max(visible, 1);
    });
    all("tbody.rowgroup", matrix).forEach(function (tbody) {
      var rowsShown = 0;
      all("tr.row", tbody).forEach(function (tr) {
        var anything = false;
        all("td[data-col]", tr).forEach(function (td) {
          td.hidden = hiddenColumns[td.dataset.col] === true;
          if (!td.classList.contains("cell")) { return; }
          var total = 0, worst = null;
          parseCounts(td.dataset.counts).forEach(function (entry) {
            if (!shown[entry[0]]) { return; }
            total += entry[1];
            if (worst === null || (rank[entry[0]] === undefined ? 1e9 : rank[entry[0]]) < rank[worst]) { worst = entry[0]; }
          });
          var link = td.querySelector("a");
          td.classList.toggle("off", worst === null);
          td.classList.toggle("suppressed", worst === "suppressed");
          if (worst !== null) { td.style.background = colours[worst] || "#78909c"; }
          link.textContent = worst === null ? "·" : String(total);
          if (worst !== null && !td.hidden) { anything = true; }
        });
        tr.hidden = hideEmpty.checked && !anything;
        if (!tr.hidden) { rowsShown += 1; }
      });
      tbody.hidden = rowsShown === 0;
    });
  }

  function filterFindings(shown) {
    var query = categoryInput.value.trim().toLowerCase();
    all("section.drill").forEach(function (section) {
      var column = matrix && matrix.querySelector('th.cat[data-col="' + section.dataset.col + '"]');
      var rows = all("tbody tr", section);
      rows.forEach(function (tr) { tr.hidden = !shown[tr.dataset.verdict]; });
      var categoryHidden = query !== "" && column !== null && column.hidden;
      // Shown all at once, a section with nothing left after the filters is left out; a cell's own
      // section (the link's target) is always shown.
      section.hidden = showAll.checked && (categoryHidden || rows.every(function (tr) { return tr.hidden; }));
    });
    document.body.classList.toggle("show-all", showAll.checked);
  }

  function apply() {
    var shown = shownVerdicts();
    filterMatrix(shown);
    filterFindings(shown);
  }

  function sortMatrix() {
    if (!matrix) { return; }
    var key = sortRows.value;
    all("tbody.rowgroup", matrix).forEach(function (tbody) {
      var rows = all("tr.row", tbody);
      rows.sort(function (a, b) {
        if (key === "name") { return a.dataset.name.localeCompare(b.dataset.name); }
        return (parseInt(b.dataset[key], 10) - parseInt(a.dataset[key], 10)) ||
          a.dataset.name.localeCompare(b.dataset.name);
      });
      rows.forEach(function (tr) { tbody.appendChild(tr); });
    });
  }

  // Findings tables: a click on a header sorts by that column (numbers as numbers), again to reverse.
  function sortable(table) {
    all("thead th", table).forEach(function (th, column) {
      th.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        all("thead th", table).forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        function value(tr) {
          var td = tr.cells[column];
          return td.dataset.sort !== undefined ? td.dataset.sort : td.textContent.trim();
        }
        rows.sort(function (a, b) {
          var x = value(a), y = value(b);
          var order = (x !== "" && y !== "" && !isNaN(x) && !isNaN(y)) ? x - y : x.localeCompare(y);
          return ascending ? order : -order;
        });
        rows.forEach(function (tr) { body.appendChild(tr); });
      });
    });
  }

  function markSelected() {
    all("td.cell.selected").forEach(function (td) { td.classList.remove("selected"); });
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id) { return; }
    var link = document.querySelector('#matrix td.cell a[href="#' + id + '"]');
    if (link) { link.parentNode.classList.add("selected"); }
  }

  boxes.forEach(function (box) { box.addEventListener("change", apply); });
  categoryInput.addEventListener("input", apply);
  hideEmpty.addEventListener("change", apply);
  showAll.addEventListener("change", apply);
  sortRows.addEventListener("change", sortMatrix);
  all("table.findings").forEach(sortable);
  window.addEventListener("hashchange", markSelected);
  markSelected();
  apply();
  document.documentElement.dataset.ready = "true";
}());
