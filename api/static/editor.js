// Start YASGUI on /sparql (a file, not an inline script: the CSP refuses inline scripts).
// Everything it needs comes from data- attributes on #yasgui; it talks to this server only:
// no prefix.cc or LOV lookups, no CORS proxy, no URL shortener.
(function () {
  "use strict";

  var root = document.getElementById("yasgui");
  if (!root || typeof Yasgui === "undefined") {
    return;
  }
  var endpoint = new URL(root.dataset.endpoint, window.location.href).href;
  var prefixes = JSON.parse(root.dataset.prefixes);

  // The "property" and "class" autocompleters query lov.linkeddata.es: keep only the local
  // ones. Set on the defaults because lodash's merge would merge a shorter array index-wise.
  var localCompleters = ["prefixes", "variables"];
  Yasgui.Yasqe.defaults.autocompleters = localCompleters.slice();
  Yasgui.defaults.yasqe.autocompleters = localCompleters.slice();
  delete Yasgui.Yasqe.Autocompleters.property;
  delete Yasgui.Yasqe.Autocompleters["class"];

  var yasgui = new Yasgui(root, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: "harmgraph-editor",
    corsProxy: undefined,
    endpointCatalogueOptions: {
      getData: function () {
        return [{ endpoint: endpoint }];
      },
      keys: [],
    },
    yasqe: {
      value: root.dataset.query,
      prefixCcApi: null,
      createShortLink: undefined,
    },
    yasr: { prefixes: prefixes },
  });

  var examples = null;
  function loadExamples() {
    if (examples === null) {
      examples = fetch(root.dataset.examples, { headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("examples: HTTP " + response.status);
          }
          return response.json();
        })
        .then(function (body) {
          var bySlug = {};
          body.examples.forEach(function (ex) {
            bySlug[ex.slug] = ex;
          });
          return bySlug;
        });
    }
    return examples;
  }

  // A plain click opens the example in a new editor tab; a modified click follows the link
  // (the query as text) as usual.
  document.querySelectorAll("a.example[data-slug]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
        return;
      }
      event.preventDefault();
      loadExamples().then(function (bySlug) {
        var ex = bySlug[link.dataset.slug];
        var tab = yasgui.addTab(true, {
          name: ex.title,
          yasqe: { value: ex.query },
          requestConfig: { endpoint: endpoint },
        });
        root.scrollIntoView();
        return tab;
      });
    });
  });
})();
