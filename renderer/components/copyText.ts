// Copies text for a Copy button: the async Clipboard API where allowed; else the copy command on a
// hidden text area (Electron denies the async API's permission; the click is the user gesture the
// command needs). Throws when both are refused, so the caller can say so.
export async function copyText(text: string): Promise<void> {
  try {
    if (!navigator.clipboard) throw new Error('no Clipboard API');
    await navigator.clipboard.writeText(text);
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    const copied = document.execCommand('copy');
    area.remove();
    if (!copied) throw new Error('the copy command was refused');
  }
}
