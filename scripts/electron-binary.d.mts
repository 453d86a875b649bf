/** The absolute path of the Electron executable, or null with the reason it is not there. */
export function electronBinary(): { path: string; reason?: undefined } | { path: null; reason: string };
