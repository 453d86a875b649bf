// xterm.js 6 writes its run-time CSS (cell size, theme colours, scrollbar) into <style> elements
// it appends inside the terminal. The app's CSP (`style-src 'self'`) blocks those, which leaves
// the DOM renderer without colours and cell metrics. Their text is still readable, so we copy each
// one into a constructable stylesheet adopted by the document — CSSOM, which the CSP allows — and
// keep it in step when xterm rewrites it (resize, theme, font). Chromium still logs one CSP
// report per blocked element; no content is applied from them.
export function bridgeXtermStyles(host: HTMLElement): () => void {
  const doc = host.ownerDocument;
  const sheets = new Map<HTMLStyleElement, { sheet: CSSStyleSheet; text: string }>();

  const sync = () => {
    const present = new Set(host.querySelectorAll('style'));
    for (const el of present) {
      const text = el.textContent ?? '';
      let entry = sheets.get(el);
      if (!entry) {
        entry = { sheet: new CSSStyleSheet(), text: '' };
        sheets.set(el, entry);
        doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, entry.sheet];
      }
      if (entry.text !== text) {
        entry.sheet.replaceSync(text);
        entry.text = text;
      }
    }
    for (const [el, entry] of sheets) {
      if (present.has(el)) continue;
      sheets.delete(el);
      doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== entry.sheet);
    }
  };

  const touchesStyle = (n: Node | null) => n?.nodeName === 'STYLE' || n?.parentNode?.nodeName === 'STYLE';
  const observer = new MutationObserver((records) => {
    // The DOM renderer rewrites rows all the time; only style changes matter here.
    if (records.some((r) => touchesStyle(r.target) || [...r.addedNodes].some(touchesStyle) || [...r.removedNodes].some(touchesStyle))) sync();
  });
  observer.observe(host, { subtree: true, childList: true, characterData: true });
  sync();
  return () => {
    observer.disconnect();
    const ours = new Set([...sheets.values()].map((e) => e.sheet));
    doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => !ours.has(s));
    sheets.clear();
  };
}
