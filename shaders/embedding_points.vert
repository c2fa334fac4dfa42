#version 330 core
// One point sprite per embedding point (GL_POINTS with gl_PointSize): the data position (z = 0 for
// 2-D plots), RGBA8 colour and a flags byte (see EmbeddingRenderer.h). One vertex per point keeps
// llvmpipe fast: it runs instanced draws instance by instance. The fragment shader measures from
// the point's centre in window coordinates instead of reading gl_PointCoord, which would send
// every point through llvmpipe's slower sprite path.

layout(location = 1) in vec3 aPosition;
layout(location = 2) in vec4 aColor;
layout(location = 3) in uint aFlags;

uniform mat4 uDataToClip;
uniform float uPointSize;    // logical pixels, marker diameter
uniform float uOutlineWidth; // logical pixels added around emphasised markers
uniform float uAlpha;        // opacity times the density factor
uniform float uPulseScale;   // size factor of pulsing markers
uniform float uPixelRatio;   // device pixels per logical pixel
uniform vec2 uViewport;      // device pixels
uniform vec4 uExclude;       // clip-space rectangle (min x, min y, max x, max y) not drawn; empty: none

out vec4 vColor;
flat out uint vFlags;
flat out float vHalfSize; // logical pixels, outline included
flat out vec2 vCentre;    // window coordinates (device pixels) of the point

const uint kHidden = 4u;
const uint kEmphasis = 8u | 16u | 32u; // selected | highlighted | pulsing
const uint kPulsing = 32u;

void main() {
    if ((aFlags & kHidden) != 0u) {
        // Outside the clip volume: the point is discarded before rasterisation.
        gl_Position = vec4(2.0, 2.0, 2.0, 1.0);
        gl_PointSize = 1.0;
        return;
    }
    float size = uPointSize;
    if ((aFlags & kPulsing) != 0u)
        size *= uPulseScale;
    if ((aFlags & kEmphasis) != 0u)
        size += 2.0 * uOutlineWidth;
    gl_Position = uDataToClip * vec4(aPosition, 1.0);
    vec2 clip = gl_Position.xy / gl_Position.w;
    if (uExclude.x < uExclude.z && all(greaterThan(clip, uExclude.xy)) &&
        all(lessThan(clip, uExclude.zw))) {
        // Covered by an image of these points drawn over them (the view's still frame).
        gl_Position = vec4(2.0, 2.0, 2.0, 1.0);
        gl_PointSize = 1.0;
        return;
    }
    gl_PointSize = size * uPixelRatio;
    vCentre = (clip * 0.5 + 0.5) * uViewport;
    vColor = vec4(aColor.rgb, aColor.a * uAlpha);
    vFlags = aFlags;
    vHalfSize = 0.5 * size;
}
