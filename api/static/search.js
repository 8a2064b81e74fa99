/* harmgraph type-ahead: the search box in the navigation (#site-search) suggests actors,
 * AI systems, harmed groups and incidents from /search.json as you type; name fields of the
 * explorer forms (.focus-input) get the same suggestions as a datalist. Text only (textContent). */
(function () {
  "use strict";

  var DELAY = 120;

  function fetchHits(q, limit) {
    return fetch("/search.json?limit=" + limit + "&q=" + encodeURIComponent(q), {
      headers: { Accept: "application/json" },
    }).then(function (r) {
      return r.ok ? r.json() : { results: [] };
    }).then(function (body) {
      return body.results || [];
    });
  }

  function debounce(fn) {
    var timer = null;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, DELAY);
    };
  }

  function safePath(url) {
    return typeof url === "string" && /^\/(?!\/)/.test(url) ? url : null;
  }

  function attachNav(input) {
    var list = document.createElement("ul");
    list.id = "site-search-suggestions";
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.parentNode.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-autocomplete", "list");
    var active = -1;
    var latest = "";

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      active = -1;
    }

    function show(hits) {
      while (list.firstChild) {
        list.removeChild(list.firstChild);
      }
      hits.forEach(function (h, i) {
        var href = safePath(h.href);
        if (!href) {
          return;
        }
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        li.id = "site-search-option-" + i;
        var a = document.createElement("a");
        a.href = href;
        a.textContent = h.label;
        var kind = document.createElement("span");
        kind.className = "kind kind-" + h.kind;
        kind.textContent = h.kind;
        li.appendChild(a);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(kind);
        list.appendChild(li);
      });
      list.hidden = !list.firstChild;
      input.setAttribute("aria-expanded", list.hidden ? "false" : "true");
      active = -1;
    }

    var lookup = debounce(function (q) {
      latest = q;
      fetchHits(q, 8).then(function (hits) {
        if (q === latest) {
          show(hits);
        }
      });
    });

    input.addEventListener("input", function () {
      var q = input.value.trim();
      if (!q) {
        close();
        return;
      }
      lookup(q);
    });
    input.addEventListener("keydown", function (ev) {
      var items = list.querySelectorAll("li");
      if (list.hidden || !items.length) {
        return;
      }
      if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
        ev.preventDefault();
        active = (active + (ev.key === "ArrowDown" ? 1 : -1) + items.length) % items.length;
        items.forEach(function (li, i) { li.classList.toggle("active", i === active); });
        input.setAttribute("aria-activedescendant", items[active].id);
      } else if (ev.key === "Enter" && active >= 0) {
        ev.preventDefault();
        window.location.href = items[active].querySelector("a").href;
      } else if (ev.key === "Escape") {
        close();
      }
    });
    document.addEventListener("click", function (ev) {
      if (ev.target !== input && !list.contains(ev.target)) {
        close();
      }
    });
  }

  function attachField(input, n) {
    var list = document.createElement("datalist");
    list.id = "names-" + n;
    input.parentNode.appendChild(list);
    input.setAttribute("list", list.id);
    var latest = "";
    var lookup = debounce(function (q) {
      latest = q;
      fetchHits(q, 8).then(function (hits) {
        if (q !== latest) {
          return;
        }
        while (list.firstChild) {
          list.removeChild(list.firstChild);
        }
        hits.forEach(function (h) {
          var option = document.createElement("option");
          option.value = h.label;
          list.appendChild(option);
        });
      });
    });
    input.addEventListener("input", function () {
      var q = input.value.trim();
      if (q.length >= 2) {
        lookup(q);
      }
    });
  }

  var nav = document.getElementById("site-search");
  if (nav) {
    attachNav(nav);
  }
  document.querySelectorAll("input.focus-input").forEach(attachField);
})();
