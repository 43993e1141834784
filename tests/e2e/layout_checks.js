// Layout problems of the page as it is now laid out (run by tests/e2e/test_page_sweep.py).
// Returns a list of human-readable problems; empty when the page holds up.
() => {
  const problems = [];
  const width = window.innerWidth;
  const describe = (el) => {
    const text = (el.innerText || el.value || el.getAttribute("aria-label") || "").trim().replace(/\s+/g, " ").slice(0, 40);
    const cls = typeof el.className === "string" && el.className ? "." + el.className.trim().split(/\s+/).join(".") : "";
    return `<${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${cls}> "${text}"`;
  };
  // 1. The page itself must not scroll sideways.
  const pageWidth = document.documentElement.scrollWidth;
  if (pageWidth > width + 1) {
    const wide = [...document.body.querySelectorAll("*")]
      .filter((el) => el.getBoundingClientRect().right > width + 1 && el.getClientRects().length)
      .filter((el) => !el.parentElement || el.parentElement.getBoundingClientRect().right <= width + 1)
      .slice(0, 3).map(describe);
    problems.push(`page is ${pageWidth}px wide in a ${width}px window: ${wide.join(", ")}`);
  }
  // 2. Every visible control must be the thing a tap at its centre lands on.
  const controls = document.querySelectorAll(
    "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex]:not([tabindex='-1'])");
  for (const el of controls) {
    if (el.closest(".skip-link") || el.closest("[hidden]")) continue;
    // Content of a closed <details> is not shown (its <summary> is, and is checked).
    const closed = el.closest("details:not([open])");
    if (closed && !(el.tagName === "SUMMARY" && el.parentElement === closed)) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.display === "none") continue;
    let rect = el.getBoundingClientRect();
    if (rect.width < 1 || rect.height < 1) continue;
    el.scrollIntoView({ block: "center", inline: "center" });
    // A link wrapping over two lines: aim at its first line, where its text starts.
    rect = el.getClientRects()[0] || el.getBoundingClientRect();
    const x = rect.left + Math.min(rect.width / 2, 8), y = rect.top + rect.height / 2;
    if (x < 0 || y < 0 || x > window.innerWidth || y > window.innerHeight) {
      problems.push(`${describe(el)} cannot be brought on screen`);
      continue;
    }
    const hit = document.elementFromPoint(x, y);
    if (!hit || hit === el || el.contains(hit)) continue;
    const label = hit.closest("label");
    if (label && (label.control === el || label.contains(el))) continue;
    if (el.labels && [...el.labels].some((l) => l.contains(hit))) continue;
    problems.push(`${describe(el)} is covered by ${describe(hit)}`);
  }
  // 3. Headings break between words (or after a hyphen), never inside one.
  for (const heading of document.querySelectorAll("h1, h2, h3")) {
    const walker = document.createTreeWalker(heading, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/[^\s\-\u2010\u2011\/]+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (lines.size > 1) problems.push(`heading ${describe(heading)} breaks inside the word "${match[0]}"`);
      }
    }
  }
  window.scrollTo(0, 0);
  return problems;
}
