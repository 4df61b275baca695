"""The foundation every layer imports: records, errors, settings, tone marks, places,
vocabulary (document types), syllables (the Vietnamese syllable grammar).

Importing it sets ``HF_HUB_OFFLINE`` once for the whole process: nothing may be fetched from
a model hub (sentence-transformers and underthesea would try), and every entry point (CLI,
app, tests, benches) imports core before any model loads.
"""

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
