// Copy buttons: a button with data-copy="ID" copies the text of the element with that id to
// the clipboard and says so. Without JavaScript the buttons stay hidden; the text can still be
// selected or downloaded.
"use strict";
for (const button of document.querySelectorAll("button[data-copy]")) {
  const source = document.getElementById(button.dataset.copy);
  const status = document.getElementById("copy-status");
  if (!source || !navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener("click", () => {
    navigator.clipboard.writeText(source.textContent.trim()).then(
      () => { if (status) status.textContent = "Copied."; },
      () => { if (status) status.textContent = "Copying is not allowed here: select the text and copy it yourself."; },
    );
  });
}
