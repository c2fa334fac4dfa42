#version 330 core
// Marker shapes as signed distances in sprite coordinates (negative inside), antialiased over one
// device pixel; emphasised markers get an outline ring.

in vec4 vColor;
flat in uint vFlags;
flat in float vHalfSize;
flat in vec2 vCentre;

uniform float uOutlineWidth;  // logical pixels
uniform float uPixelRatio;    // device pixels per logical pixel
uniform vec4 uSelectedOutline;
uniform vec4 uHighlightOutline;

out vec4 fragColor;

const uint kMarkerMask = 3u; // 0 circle, 1 square, 2 triangle, 3 diamond
const uint kSelected = 8u;
const uint kHighlighted = 16u;
const uint kPulsing = 32u;

float markerDistance(uint marker, vec2 p) {
    if (marker == 1u)
        return max(abs(p.x), abs(p.y)) - 0.85;
    if (marker == 2u) // upward triangle, circumradius 1
        return max(-p.y - 0.5, 0.866 * abs(p.x) + 0.5 * p.y - 0.5);
    if (marker == 3u)
        return (abs(p.x) + abs(p.y)) * 0.7071 - 0.7071;
    return length(p) - 1.0;
}

void main() {
    // From the centre with y up, in [-1, 1] over the sprite.
    vec2 p = (gl_FragCoord.xy - vCentre) / (vHalfSize * uPixelRatio);
    float distancePx = markerDistance(vFlags & kMarkerMask, p) * vHalfSize * uPixelRatio;
    float coverage = clamp(0.5 - distancePx, 0.0, 1.0);
    if (coverage <= 0.0)
        discard;
    vec4 color = vColor;
    float outlinePx = uOutlineWidth * uPixelRatio;
    if ((vFlags & (kSelected | kHighlighted | kPulsing)) != 0u && distancePx > -outlinePx) {
        color = (vFlags & kSelected) != 0u ? uSelectedOutline : uHighlightOutline;
        color.a = max(color.a, vColor.a);
    }
    fragColor = vec4(color.rgb, color.a * coverage);
}
