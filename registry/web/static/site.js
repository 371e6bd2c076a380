// Enhancements over forms that work without JavaScript: name suggestions as you type (an ARIA 1.2 combobox
// over GET /v1/municipalities?q=), and a copy button for the embedding snippets. Nothing here is needed to read
// or use a page.
(function () {
  "use strict";
  var params = new URLSearchParams(location.search);
  var carried = ["lang", "script"].filter(function (k) { return params.get(k); });

  function withCarried(url) {
    carried.forEach(function (k) { url.searchParams.set(k, params.get(k)); });
    return url;
  }

  function combobox(form) {
    var input = form.querySelector("input[type=search]");
    if (!input) return;
    var mode = form.dataset.suggest;
    var words = JSON.parse(form.dataset.words || "{}");
    var wrap = document.createElement("div");
    wrap.className = "suggest";
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    var list = document.createElement("ul");
    list.id = input.id + "-options";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", words.options || "Suggestions");
    list.hidden = true;
    wrap.appendChild(list);
    var live = document.createElement("div");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    form.appendChild(live);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    var items = [], active = -1, timer = null, asked = 0;

    function close() {
      list.hidden = true; active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function mark(i) {
      active = i;
      Array.prototype.forEach.call(list.children, function (li, j) { li.setAttribute("aria-selected", j === i ? "true" : "false"); });
      if (i >= 0) input.setAttribute("aria-activedescendant", list.children[i].id);
      else input.removeAttribute("aria-activedescendant");
    }
    function choose(item) {
      close();
      if (mode === "go") {
        location.href = withCarried(new URL("/municipalities/" + encodeURIComponent(item.id), location.href)).toString();
        return;
      }
      var picked = form.querySelector(".picked");
      if (!picked || picked.querySelector("input[value='" + CSS.escape(item.id) + "']")) { input.value = ""; return; }
      var li = document.createElement("li");
      var label = document.createElement("label");
      var box = document.createElement("input");
      box.type = "checkbox"; box.name = "id"; box.value = item.id; box.checked = true;
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + item.name + " (" + item.country_name + ")"));
      li.appendChild(label);
      picked.appendChild(li);
      input.value = "";
      live.textContent = (words.added || "Added: {name}").replace("{name}", item.name);
      input.focus();
    }
    function show(found) {
      items = found;
      list.textContent = "";
      found.forEach(function (item, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = item.name + " — " + (item.kind_label || "") + ", " + (item.country_name || "");
        li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(item); });
        list.appendChild(li);
      });
      list.hidden = found.length === 0;
      input.setAttribute("aria-expanded", found.length ? "true" : "false");
      live.textContent = (words.count || "{n} suggestions").replace("{n}", found.length);
      mark(-1);
    }
    function ask() {
      var q = input.value.trim();
      if (q.length < 2) { close(); return; }
      var url = withCarried(new URL("/v1/municipalities", location.href));
      url.searchParams.set("q", q);
      url.searchParams.set("limit", "8");
      url.searchParams.set("include_sub_units", "true");
      var country = form.querySelector("select[name=country]");
      if (country && country.value) url.searchParams.set("country", country.value);
      var mine = ++asked;
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { items: [] }; })
        .then(function (body) { if (mine === asked) show(body.items || []); })
        .catch(function () { close(); });
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(ask, 180); });
    input.addEventListener("keydown", function (ev) {
      if (list.hidden) return;
      if (ev.key === "ArrowDown") { ev.preventDefault(); mark((active + 1) % items.length); }
      else if (ev.key === "ArrowUp") { ev.preventDefault(); mark(active <= 0 ? items.length - 1 : active - 1); }
      else if (ev.key === "Enter" && active >= 0) { ev.preventDefault(); choose(items[active]); }
      else if (ev.key === "Escape") { ev.preventDefault(); close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  function copyButtons() {
    document.querySelectorAll("textarea.code").forEach(function (area) {
      if (!navigator.clipboard) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "secondary";
      button.textContent = area.dataset.copy || "Copy";
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(area.value).then(function () {
          button.textContent = area.dataset.copied || "Copied";
        });
      });
      area.insertAdjacentElement("afterend", button);
    });
  }

  document.querySelectorAll("form[data-suggest]").forEach(combobox);
  copyButtons();
})();
