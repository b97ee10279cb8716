/* A small map under a shop's latitude and longitude inputs (merchants/widgets.py), drawn
 * with django-leaflet's Leaflet. A click (or dragging the marker) fills both inputs; typed
 * coordinates move the marker. The inputs stay the plain number inputs that work alone. */
(function () {
    "use strict";

    function number(input) {
        var value = parseFloat(input.value);
        return isNaN(value) ? null : value;
    }

    function setup(lat) {
        var lng = lat.form && lat.form.querySelector("input[data-coordinate='lng']");
        if (!lng || lat.dataset.pickerReady) return;
        lat.dataset.pickerReady = "true";
        var config = JSON.parse(lat.dataset.picker);

        var box = document.createElement("div");
        var hint = document.createElement("p");
        var container = document.createElement("div");
        box.className = "latlng-picker";
        hint.className = "latlng-picker__hint";
        hint.id = lat.id + "-picker-hint";
        hint.textContent = config.hint;
        container.className = "latlng-picker__map";
        container.setAttribute("role", "region");
        container.setAttribute("aria-label", config.label);
        container.setAttribute("aria-describedby", hint.id);
        box.append(hint, container);
        (lat.closest(".w-field-row") || lng).after(box);

        var map = L.map(container, { scrollWheelZoom: false });
        L.tileLayer(config.tiles.url, config.tiles.options).addTo(map);
        var marker = null;

        function fill(point) {
            point = point.wrap();
            lat.value = point.lat.toFixed(6);
            lng.value = point.lng.toFixed(6);
            // Let the admin know the form changed (unsaved changes warning).
            lat.dispatchEvent(new Event("change", { bubbles: true }));
            lng.dispatchEvent(new Event("change", { bubbles: true }));
        }

        function place(point) {
            if (marker) {
                marker.setLatLng(point);
                return;
            }
            marker = L.marker(point, { draggable: true, keyboard: false }).addTo(map);
            marker.on("dragend", function () { fill(marker.getLatLng()); });
        }

        function follow() {
            var y = number(lat), x = number(lng);
            if (y === null || x === null || Math.abs(y) > 90 || Math.abs(x) > 180) return;
            place([y, x]);
            map.panTo([y, x]);
        }

        map.on("click", function (event) {
            place(event.latlng);
            fill(event.latlng);
        });
        lat.addEventListener("input", follow);
        lng.addEventListener("input", follow);

        var y = number(lat), x = number(lng);
        if (y !== null && x !== null) {
            place([y, x]);
            map.setView([y, x], 17);
        } else if (config.centre) {
            map.setView(config.centre, 14);
        } else {
            map.fitWorld();
        }
        // The map is often built in a tab not shown yet: redraw it once it has a size.
        if (window.ResizeObserver) {
            new ResizeObserver(function () { map.invalidateSize(); }).observe(container);
        }
    }

    function init() {
        if (window.L) document.querySelectorAll("input[data-coordinate='lat'][data-picker]").forEach(setup);
    }

    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
    else init();
})();
