// Fills the visit form's latitude and longitude from the phone's position when asked (no position is sent unasked).
document.addEventListener("DOMContentLoaded", () => {
  const button = document.querySelector("[data-geo-fill]");
  const lat = document.querySelector("[data-geo=latitude]");
  const lon = document.querySelector("[data-geo=longitude]");
  if (!button || !lat || !lon || !navigator.geolocation) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    navigator.geolocation.getCurrentPosition((pos) => {
      lat.value = pos.coords.latitude.toFixed(6);
      lon.value = pos.coords.longitude.toFixed(6);
    });
  });
});
