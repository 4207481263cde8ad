-- Places with coordinates and how often they are mentioned, most first.
SELECT canonical, feature, latitude, longitude, mentions FROM place_mentions ORDER BY mentions DESC, canonical;
