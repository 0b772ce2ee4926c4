// The circle page's token: taken from the link's fragment (#token=cpt_…), kept in this tab's
// sessionStorage only (in memory when the browser refuses it), and never in a URL. docs/circle-page.md.

let memoryToken = null; // where the token lives when the browser refuses sessionStorage

/** The token kept for one circle, in this tab. */
export function tokenStore(circleId) {
  const key = `circles.token.${circleId}`;
  return {
    get() {
      try {
        return sessionStorage.getItem(key);
      } catch {
        return memoryToken;
      }
    },
    set(token) {
      memoryToken = token;
      try {
        sessionStorage.setItem(key, token);
      } catch {
        /* memory only */
      }
    },
    clear() {
      memoryToken = null;
      try {
        sessionStorage.removeItem(key);
      } catch {
        /* nothing kept */
      }
    },
  };
}

/** Why this page will not use a credential, or null. An app key belongs on the app's server. */
export function refusal(token) {
  return token.startsWith("ck_") ? "That is an app key. This page takes a participant token (cpt_…)." : null;
}

/** A token in the fragment is kept for this tab and wiped from the address bar at once. */
export function takeTokenFromFragment(store) {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const token = (fragment.get("token") || "").trim();
  if (location.hash) history.replaceState(null, "", location.pathname + location.search);
  if (token && !refusal(token)) store.set(token);
}
