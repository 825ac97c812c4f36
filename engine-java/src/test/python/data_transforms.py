"""Reference values for dev.kindling.data.transforms (TransformsTest).

Regenerate from the repository root with Debian's torch (torchvision is not packaged, so its transforms
are written out here from torchvision 0.14's functional_tensor.py on top of torch ops):

    /usr/bin/python3 engine-java/src/test/python/data_transforms.py

Writes engine-java/src/test/resources/fixtures/data/transforms.json.
"""
import json
import os

import torch
import torch.nn.functional as F

torch.manual_seed(0)
out = {}

# ToTensor: HWC uint8 -> CHW float in [0, 1]
hwc = torch.randint(0, 256, (3, 4, 3), dtype=torch.uint8)
out["to_tensor"] = {
    "bytes": hwc.flatten().tolist(), "hwc": [3, 4, 3],
    "expected": hwc.permute(2, 0, 1).float().div(255).flatten().tolist(),
}

# Normalize per channel
x = torch.rand(3, 2, 2)
mean, std = [0.5, 0.4, 0.3], [0.2, 0.25, 0.5]
out["normalize"] = {
    "input": x.flatten().tolist(), "shape": [3, 2, 2], "mean": mean, "std": std,
    "expected": ((x - torch.tensor(mean).view(3, 1, 1)) / torch.tensor(std).view(3, 1, 1)).flatten().tolist(),
}

# Resize: torchvision (antialias=False) is F.interpolate(bilinear, align_corners=False); uint8 rounds
def resize(t, h, w):
    return F.interpolate(t.unsqueeze(0), size=(h, w), mode="bilinear", align_corners=False).squeeze(0)

r = torch.rand(2, 5, 7, dtype=torch.float64)
out["resize"] = {"input": r.flatten().tolist(), "shape": [2, 5, 7], "cases": [
    {"size": [h, w], "expected": resize(r, h, w).flatten().tolist()} for (h, w) in [(3, 4), (9, 11), (5, 3), (1, 1)]
]}
u = torch.randint(0, 256, (6, 5, 1), dtype=torch.uint8)
up = resize(u.permute(2, 0, 1).float(), 4, 8).round().clamp(0, 255).to(torch.uint8).permute(1, 2, 0)
out["resize_bytes"] = {"bytes": u.flatten().tolist(), "hwc": [6, 5, 1], "size": [4, 8], "expected": up.flatten().tolist()}

# CenterCrop: torchvision pads (left, top, right, bottom) = ((cw-w)//2, (ch-h)//2, (cw-w+1)//2, (ch-h+1)//2)
# when the crop is larger, then crops at (int(round((h-ch)/2)), int(round((w-cw)/2)))
def center_crop(t, ch, cw):
    h, w = t.shape[-2:]
    if ch > h or cw > w:
        pl, pt = max(0, (cw - w) // 2), max(0, (ch - h) // 2)
        pr, pb = max(0, (cw - w + 1) // 2), max(0, (ch - h + 1) // 2)
        t = F.pad(t, [pl, pr, pt, pb])
        h, w = t.shape[-2:]
    top, left = int(round((h - ch) / 2.0)), int(round((w - cw) / 2.0))
    return t[..., top:top + ch, left:left + cw]

c = torch.arange(1, 1 + 2 * 5 * 6, dtype=torch.float32).view(2, 5, 6)
out["center_crop"] = {"input": c.flatten().tolist(), "shape": [2, 5, 6], "cases": [
    {"size": [h, w], "expected": center_crop(c, h, w).flatten().tolist()} for (h, w) in [(3, 3), (4, 4), (2, 5), (7, 9), (6, 2)]
]}

path = os.path.join(os.path.dirname(__file__), "..", "resources", "fixtures", "data", "transforms.json")
with open(path, "w") as f:
    json.dump(out, f)
print("wrote", os.path.normpath(path))
