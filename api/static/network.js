/* harmgraph network explorer: draws the graph in #graph from the JSON data island #graph-data
 * with vis-network (served by this app), opens a details panel on click, exports a PNG.
 * Every text from the data is put into the page with textContent, never as HTML. */
(function () {
  "use strict";

  var container = document.getElementById("graph");
  var island = document.getElementById("graph-data");
  var panel = document.getElementById("details");
  if (!container || !island || !panel) {
    return;
  }
  if (typeof vis === "undefined") {
    container.textContent = "The drawing needs vis-network, which is not installed on this server.";
    container.setAttribute("data-state", "error");
    return;
  }

  var data = JSON.parse(island.textContent);

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text) {
      node.textContent = text;
    }
    if (className) {
      node.className = className;
    }
    return node;
  }

  /* Only same-origin paths and web links become links: nothing else (javascript:, data:, //host). */
  function safeHref(url) {
    return typeof url === "string" && /^(\/(?!\/)|https?:\/\/)/.test(url) ? url : null;
  }

  function link(url, text, className) {
    var href = safeHref(url);
    if (!href) {
      return el("span", text, className);
    }
    var a = el("a", text, className);
    a.href = href;
    if (/^https?:\/\//.test(href)) {
      a.rel = "external noopener noreferrer";
    }
    return a;
  }

  function tooltip(text) {
    return el("div", text, "graph-tip");
  }

  data.nodes.forEach(function (n) {
    if (n.title) {
      n.title = tooltip(n.title);
    }
  });
  data.edges.forEach(function (e) {
    if (e.title) {
      e.title = tooltip(e.title);
    }
  });

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  window.harmgraphNetwork = { network: network, nodes: nodes, edges: edges };

  function ready() {
    container.setAttribute("data-state", "ready");
    container.setAttribute("data-nodes", String(nodes.length));
  }
  if (data.physics) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      network.fit();
      ready();
    });
  } else {
    network.once("afterDrawing", ready);
  }

  function clear() {
    while (panel.firstChild) {
      panel.removeChild(panel.firstChild);
    }
    panel.appendChild(el("h2", "Details"));
  }

  function statusBadge(status) {
    var confirmed = status === "confirmed";
    return el("span", confirmed ? "confirmed" : (status || "unassessed").toUpperCase(),
      "status status-" + (confirmed ? "confirmed" : "alleged"));
  }

  function sourcesList(sources) {
    var ul = el("ul", "", "hop-sources");
    (sources || []).forEach(function (s) {
      var li = el("li");
      li.appendChild(link(s.url, s.title || s.url, "external"));
      if (s.publisher) {
        li.appendChild(document.createTextNode(", " + s.publisher));
      }
      ul.appendChild(li);
    });
    return ul;
  }

  function incidentItem(info) {
    var li = el("li");
    li.appendChild(link(info.href, info.identifier || info.label, "incident-link"));
    li.appendChild(document.createTextNode(" " + info.label + " "));
    if (info.date) {
      li.appendChild(el("time", info.date));
      li.appendChild(document.createTextNode(" "));
    }
    li.appendChild(statusBadge(info.status));
    if (info.sources && info.sources.length) {
      li.appendChild(sourcesList(info.sources));
    }
    return li;
  }

  function showNode(n) {
    clear();
    panel.appendChild(el("h3", n.fullLabel, "detail-title"));
    panel.appendChild(el("p", n.kind, "kind kind-" + n.kind));
    var p = el("p");
    p.appendChild(link(n.href, "Open its page", "detail-page"));
    panel.appendChild(p);
    if (n.kind === "incident") {
      var facts = el("p");
      facts.appendChild(document.createTextNode([n.identifier, n.date, n.severity].filter(Boolean).join(" · ") + " "));
      facts.appendChild(statusBadge(n.status));
      panel.appendChild(facts);
      if (n.sources && n.sources.length) {
        panel.appendChild(el("h4", "Sources"));
        panel.appendChild(sourcesList(n.sources));
      }
    } else {
      if (n.aliases && n.aliases.length) {
        panel.appendChild(el("p", "Also known as: " + n.aliases.join(", "), "aliases"));
      }
      var more = el("p");
      more.appendChild(link("/network?focus=" + encodeURIComponent(n.id), "Show its network"));
      more.appendChild(document.createTextNode(" · "));
      more.appendChild(link("/path?from=" + encodeURIComponent(n.id), "Find connection to…"));
      panel.appendChild(more);
    }
    panel.appendChild(el("p", n.degree + " link" + (n.degree === 1 ? "" : "s") + " in this view", "count"));
  }

  function showEdge(e) {
    clear();
    var title = e.title && e.title.textContent ? e.title.textContent : "";
    panel.appendChild(el("h3", title, "detail-title"));
    if (e.incidents && e.incidents.length) {
      var total = e.incidentCount || e.incidents.length;
      panel.appendChild(el("h4", total === 1 ? "Incident" : total + " incidents"));
      var ul = el("ul", "", "edge-incidents");
      e.incidents.forEach(function (iri) {
        var info = (data.incidents || {})[iri];
        if (info) {
          ul.appendChild(incidentItem(info));
        }
      });
      panel.appendChild(ul);
      if (total > e.incidents.length) {
        // The page lists the newest few; the view's JSON download lists them all.
        var rest = el("p", "The " + e.incidents.length + " newest shown; ", "edge-more");
        rest.appendChild(link(window.location.pathname + ".json" + window.location.search,
          "all " + total + " in the view's JSON", "edge-all"));
        panel.appendChild(rest);
      }
    }
  }

  network.on("click", function (params) {
    if (params.nodes.length) {
      showNode(nodes.get(params.nodes[0]));
    } else if (params.edges.length) {
      showEdge(edges.get(params.edges[0]));
    }
  });

  var fit = document.getElementById("fit-button");
  if (fit) {
    fit.addEventListener("click", function () {
      network.fit();
    });
  }

  var png = document.getElementById("png-button");
  if (png) {
    png.addEventListener("click", function () {
      var source = container.querySelector("canvas");
      if (!source) {
        return;
      }
      // A white background: the vis-network canvas is transparent.
      var out = document.createElement("canvas");
      out.width = source.width;
      out.height = source.height;
      var ctx = out.getContext("2d");
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, out.width, out.height);
      ctx.drawImage(source, 0, 0);
      out.toBlob(function (blob) {
        var a = document.createElement("a");
        a.href = URL.createObjectURL(blob);
        a.download = "harmgraph-" + (document.title.split(" · ")[0] || "network")
          .replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "").toLowerCase() + ".png";
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
      }, "image/png");
    });
  }
})();
