// The few lines a Zoom App needs: ask Zoom for the app context, hand it to Circles, open the circle page.
// Circles decrypts the context with the app's Zoom client secret (stored once: PUT /v1/app/zoom), finds
// the circle bound to the meeting, and answers with this Zoom user's participant and a token.
// Never log the context or anything in it: it names the Zoom user.

export async function joinCircle(zoomSdk, circlesUrl) {
  await zoomSdk.config({ capabilities: ["getAppContext", "getUserContext"] });
  const { context } = await zoomSdk.getAppContext();
  const user = await zoomSdk.getUserContext().catch(() => ({})); // only to name a new seat
  const answer = await fetch(new URL("v1/zoom/session", circlesUrl), {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ context, display_name: user.screenName?.slice(0, 80) || undefined }),
  });
  const seat = await answer.json();
  if (!answer.ok) throw new Error(seat.detail);
  // The token travels in the fragment, which no server is sent; the page moves it to sessionStorage.
  return new URL(`circle/${seat.circle_id}#token=${encodeURIComponent(seat.token)}`, circlesUrl);
}

const circlesUrl = new URL(document.documentElement.dataset.circlesUrl || "/", location.href);
joinCircle(window.zoomSdk, circlesUrl).then(
  (page) => location.replace(page),
  (error) => {
    document.getElementById("status").textContent = `Could not find your seat: ${error.message}`;
  },
);
