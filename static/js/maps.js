/* Maps of the shops (templates/components/map.html), drawn with django-leaflet's Leaflet.
 * They only add to the list of shops and their addresses: a map stays hidden until it is
 * drawn, and hides again when not one tile could be loaded (tile server unreachable). */
(function () {
    "use strict";

    function popup(shop) {
        var box = document.createElement("div");
        var link = document.createElement("a");
        var address = document.createElement("div");
        link.href = shop.url;
        link.textContent = shop.name;
        address.textContent = shop.address;
        box.append(link, address);
        return box;
    }

    function draw(container) {
        var data = JSON.parse(container.querySelector("script[type='application/json']").textContent);
        if (!data.markers.length) return;
        container.hidden = false;
        var map = L.map(container, { scrollWheelZoom: false });
        var tiles = L.tileLayer(data.tiles.url, data.tiles.options);
        var loaded = 0;
        tiles.on("tileload", function () { loaded += 1; });
        tiles.on("load", function () {
            if (!loaded) container.hidden = true;
        });
        tiles.addTo(map);
        var points = data.markers.map(function (shop) {
            var point = [shop.lat, shop.lng];
            L.marker(point, { title: shop.name, alt: shop.name, keyboard: data.keyboard })
                .bindPopup(popup(shop))
                .addTo(map);
            return point;
        });
        if (points.length === 1) map.setView(points[0], 17);
        else map.fitBounds(points, { padding: [24, 24], maxZoom: 17 });
    }

    if (window.L) document.querySelectorAll("[data-map]").forEach(draw);
})();
