"""Small widgets and helpers shared by the features: heat map, validated fields, output bars, digit
images and plot pens. Nothing here knows about a feature."""
