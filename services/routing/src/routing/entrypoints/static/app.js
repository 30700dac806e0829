// Lotse caseworker page: the team queue live over server-sent events; no third-party scripts.
"use strict";

const $ = (id) => document.getElementById(id);
let source = null;
let lastCount = null;
let opened = 0;  // which "Open queue" a connection belongs to
let retryDelay = 1000;

function staffId() { return $("staff").value.trim(); }

function text(tag, content, cls) {
  const el = document.createElement(tag);
  el.textContent = content;
  if (cls) el.className = cls;
  return el;
}

function actionsFor(entry) {
  const me = staffId();
  if (entry.claimed_by === null) return [["claim", "Claim"]];
  if (entry.claimed_by !== me) return [];
  return [["release", "Release"], ["decide", "Decide: granted"]];
}

function caseItem(entry) {
  const li = document.createElement("li");
  li.className = `priority-${entry.priority}`;
  li.dataset.ticket = entry.ticket;
  li.append(text("h3", `${entry.ticket} — ${entry.priority}`));
  const facts = entry.claimed_by ? `claimed by ${entry.claimed_by}` : "not claimed";
  const due = entry.due_on ? `due ${entry.due_on}` : "no due date";
  li.append(text("p", `${due}; waiting since ${entry.waiting_since.slice(0, 10)}; language ${entry.language}; ${facts}`));
  const reasons = document.createElement("ul");
  reasons.setAttribute("aria-label", `Reasons for ${entry.ticket}`);
  entry.reasons.forEach((r) => reasons.append(text("li", r)));
  li.append(reasons);
  for (const [action, label] of actionsFor(entry)) {
    const button = text("button", label);
    button.type = "button";
    button.dataset.action = action;
    button.setAttribute("aria-label", `${label} ${entry.ticket}`);
    button.addEventListener("click", () => act(entry.ticket, action));
    li.append(button);
  }
  return li;
}

function render(queue) {
  const active = document.activeElement;
  const keep = active && active.dataset && active.dataset.action
    ? [active.closest("li").dataset.ticket, active.dataset.action] : null;
  $("cases").replaceChildren(...queue.cases.map(caseItem));
  if (keep) {
    const again = document.querySelector(`li[data-ticket="${keep[0]}"] button[data-action="${keep[1]}"]`)
      || document.querySelector(`li[data-ticket="${keep[0]}"] button`) || $("queue");
    again.focus();
  }
  if (queue.cases.length !== lastCount) {  // announce counts only: no flooding of screen readers
    lastCount = queue.cases.length;
    $("status").textContent = `${lastCount} open case${lastCount === 1 ? "" : "s"} in ${queue.team}`;
  }
}

async function act(ticket, action) {
  const body = action === "decide" ? { outcome: "granted" } : {};
  const path = `/v1/cases/${encodeURIComponent(ticket)}/${action}`;
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...staffHeaders() },
    body: JSON.stringify(body),
  });
  $("error").textContent = response.ok ? "" : `${ticket}: ${(await response.json()).detail}`;
}

function staffHeaders() {
  return { "X-Lotse-Staff": staffId(), "X-Lotse-Role": "caseworker", "X-Lotse-Team": $("team").value.trim() };
}

// EventSource sends no headers: ask for a short-lived ticket first, and again on every reconnect.
async function streamTicket(team) {
  const path = `/v1/queues/${encodeURIComponent(team)}/stream-ticket`;
  const response = await fetch(path, { method: "POST", headers: staffHeaders() });
  if (!response.ok) throw new Error((await response.json()).detail);
  return (await response.json()).ticket;
}

async function connect(generation) {
  const team = $("team").value.trim();
  let ticket;
  try {
    ticket = await streamTicket(team);
  } catch (error) {
    if (generation !== opened) return;
    $("error").textContent = `Queue ${team}: ${error.message}`;
    return reconnect(generation);
  }
  if (generation !== opened) return;  // the form was submitted again meanwhile
  const stream = new EventSource(`/v1/queues/${encodeURIComponent(team)}/stream?ticket=${encodeURIComponent(ticket)}`);
  source = stream;
  stream.addEventListener("queue", (e) => { retryDelay = 1000; render(JSON.parse(e.data)); });
  stream.onerror = () => {
    stream.close();  // the browser would retry with the same ticket, which soon expires
    if (generation !== opened) return;
    $("status").textContent = "Connection lost, reconnecting…";
    lastCount = null;
    reconnect(generation);
  };
}

function reconnect(generation) {
  setTimeout(() => { if (generation === opened) connect(generation); }, retryDelay);
  retryDelay = Math.min(retryDelay * 2, 15000);
}

function open(event) {
  if (event) event.preventDefault();
  if (!staffId()) { $("staff").focus(); return; }
  if (source) source.close();
  lastCount = null;
  retryDelay = 1000;
  opened += 1;
  connect(opened);
}

document.addEventListener("DOMContentLoaded", () => {
  $("who").addEventListener("submit", open);
  const params = new URLSearchParams(location.search);
  if (params.get("staff")) $("staff").value = params.get("staff");
  if (params.get("team")) $("team").value = params.get("team");
  if (staffId()) open();
});
