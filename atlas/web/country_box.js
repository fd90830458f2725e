// The country search box of atlas/web/country_box.py: an ARIA combobox (WAI-ARIA 1.2 pattern)
// whose suggestions come from Python (atlas.geography.search.find), so that the list shown and the
// country Enter opens are one ranking. Typing sends the text after a short pause; Enter opens the
// highlighted suggestion (the first, unless the arrows moved) or, when the list for what is typed
// has not arrived yet, asks Python for the first one it would list.
//
// Streamlit calls the default export again each time Python sends new data, without undoing the
// previous call: the listeners are bound once per input and read the latest data from `state`.

const PAUSE_MS = 120;

function typed(state) {
  return state.input.value.trim();
}

function shown(state) {
  // The suggestions for what is typed now, or null while they are being computed.
  return state.data.query === typed(state) ? state.data.options : null;
}

function render(state) {
  const { root, input, data } = state;
  const list = root.querySelector("[role=listbox]");
  const empty = root.querySelector(".acs-empty");
  const items = shown(state);
  const open = state.open && typed(state) !== "" && items !== null;
  list.replaceChildren(
    ...(open ? items : []).map((option, i) => {
      const li = document.createElement("li");
      li.id = `acs-option-${i}`;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", i === state.active ? "true" : "false");
      li.textContent = option.label;
      li.addEventListener("mousedown", (event) => event.preventDefault()); // the focus stays in the box
      li.addEventListener("click", () => pick(state, { iso3: option.iso3 }));
      return li;
    }),
  );
  list.hidden = !(open && items.length);
  empty.hidden = !(open && !items.length);
  empty.textContent = open && !items.length ? data.empty : "";
  input.setAttribute("aria-expanded", open && items.length ? "true" : "false");
  if (open && items.length) input.setAttribute("aria-activedescendant", `acs-option-${state.active}`);
  else input.removeAttribute("aria-activedescendant");
  root.querySelector(".acs-status").textContent = open ? data.status : "";
  const active = list.children[state.active];
  if (active) active.scrollIntoView({ block: "nearest" });
}

function pick(state, value) {
  clearTimeout(state.timer);
  state.open = false;
  state.input.value = "";
  render(state);
  state.setTriggerValue("pick", value);
}

function bind(state) {
  const { input } = state;
  input.addEventListener("input", () => {
    state.open = true;
    state.active = 0;
    clearTimeout(state.timer);
    render(state); // a list that no longer matches what is typed disappears at once
    state.timer = setTimeout(() => state.setStateValue("query", typed(state)), PAUSE_MS);
  });
  input.addEventListener("keydown", (event) => {
    const listed = shown(state);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!listed || !listed.length) return;
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : listed.length - 1;
      state.active = state.open ? (state.active + step) % listed.length : 0;
      state.open = true;
      render(state);
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (!typed(state) || (listed && !listed.length)) return; // « no country matches » is already said
      pick(state, listed ? { iso3: listed[state.active].iso3 } : { text: typed(state) });
    } else if (event.key === "Escape" && state.open) {
      event.preventDefault();
      state.open = false;
      render(state);
    }
  });
  input.addEventListener("focus", () => {
    state.hadFocus = true;
    state.open = typed(state) !== "";
    render(state);
  });
  input.addEventListener("blur", () => {
    state.hadFocus = input.isConnected ? false : state.hadFocus; // removed from the page: not the person's doing
    state.open = false;
    render(state);
  });
}

const STATES = new Map(); // one per box (Streamlit's key for it), kept across calls and mounts

export default function ({ parentElement, data, key, setStateValue, setTriggerValue }) {
  const root = parentElement.querySelector(".acs");
  if (!root) return;
  const input = root.querySelector("input");
  if (!STATES.has(key)) STATES.set(key, { active: 0, open: false, timer: null });
  const state = STATES.get(key);
  Object.assign(state, { root, data, setStateValue, setTriggerValue });
  if (state.input !== input) {
    // Should Streamlit mount the HTML again, what was typed and the focus move to the new input.
    const old = state.input;
    const focused = old && (old.getRootNode().activeElement === old || state.hadFocus);
    state.input = input;
    bind(state);
    if (old && !input.value && old.value) input.value = old.value;
    if (focused) input.focus(); // its listener opens the list again
  }
  root.querySelector("label").textContent = data.label;
  root.querySelector(".acs-hint").textContent = data.hint;
  input.placeholder = data.placeholder;
  if (data.query !== state.query) {
    state.query = data.query;
    state.active = 0;
  }
  render(state);
}
