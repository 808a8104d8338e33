// Small progressive enhancements; every page works without them.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const field = document.querySelector(button.dataset.copy);
  if (!field) return;
  const done = () => {
    const label = button.textContent;
    button.textContent = "Copied!";
    setTimeout(() => { button.textContent = label; }, 2000);
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(done, () => { field.select(); });
  } else {
    field.select();
    document.execCommand("copy");
    done();
  }
});

// The composer: one alt-text field per chosen photo, and upload progress.
document.addEventListener("change", (event) => {
  const input = event.target.closest("input[type=file][data-alt-texts]");
  if (!input) return;
  const box = document.querySelector(input.dataset.altTexts);
  box.replaceChildren();
  Array.from(input.files).forEach((file, index) => {
    const id = `alt-text-${index}`;
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = `Describe “${file.name}” for people who cannot see it`;
    const field = document.createElement("input");
    Object.assign(field, { type: "text", name: "alt_texts", id, maxLength: 500 });
    box.append(label, field);
  });
});

document.addEventListener("htmx:xhr:progress", (event) => {
  const progress = event.target.querySelector(".upload-progress");
  if (!progress || !event.detail.lengthComputable) return;
  progress.hidden = false;
  progress.value = Math.round((event.detail.loaded / event.detail.total) * 100);
});
