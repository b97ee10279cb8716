// Suggestions under the header search box: an ARIA 1.2 combobox. Without JavaScript the
// box is a plain search form; with it, typing two letters lists up to eight shops and
// products (arrow keys to move, Enter to open, Escape to close).
(function () {
  "use strict";
  var input = document.getElementById("site-search-q");
  var list = document.getElementById("site-search-suggestions");
  var status = document.getElementById("site-search-status");
  if (!input || !list || !window.fetch) return;

  var endpoint = input.form.getAttribute("data-suggest-url");
  var timer = null;
  var pending = null;
  var active = -1;
  var items = [];

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("autocomplete", "off");

  function close() {
    list.hidden = true;
    list.innerHTML = "";
    items = [];
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function highlight(index) {
    items.forEach(function (item, i) {
      item.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    active = index;
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", items[index].id);
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function show(results) {
    close();
    results.forEach(function (result, i) {
      var option = document.createElement("li");
      option.id = "site-search-option-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.dataset.url = result.url;
      var link = document.createElement("a");
      link.href = result.url;
      link.tabIndex = -1;
      link.textContent = result.label;
      var detail = document.createElement("span");
      detail.className = "search-suggestions__detail";
      detail.textContent = (result.kind === "shop" ? list.dataset.shopLabel : list.dataset.productLabel) +
        " · " + result.detail;
      link.appendChild(detail);
      option.appendChild(link);
      list.appendChild(option);
      items.push(option);
    });
    status.textContent = results.length ? results.length + " " + list.dataset.countLabel : "";
    if (results.length) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
  }

  function fetchSuggestions() {
    var query = input.value.trim();
    if (query.length < 2) {
      close();
      return;
    }
    if (pending) pending.abort();
    pending = new AbortController();
    fetch(endpoint + "?q=" + encodeURIComponent(query), {
      signal: pending.signal,
      headers: { Accept: "application/json" },
    })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) {
        if (input.value.trim() === query) show(data.results);
      })
      .catch(function () { /* offline or aborted: the form still works */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 200);
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && items.length) {
      event.preventDefault();
      highlight((active + 1) % items.length);
    } else if (event.key === "ArrowUp" && items.length) {
      event.preventDefault();
      highlight(active <= 0 ? items.length - 1 : active - 1);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location.href = items[active].dataset.url;
    } else if (event.key === "Escape") {
      close();
    }
  });

  input.addEventListener("blur", function () {
    // Let a click on a suggestion land before the list goes away.
    setTimeout(close, 150);
  });
})();
