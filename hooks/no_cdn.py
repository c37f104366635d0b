"""Remove mkdocs-jupyter's MathJax loader from every page.

The plugin appends a script to each page that would fetch MathJax from a public CDN to typeset
notebook maths. Our KaTeX (docs/assets/js/katex-init.js) renders that maths from the site's own
origin, so the loader is dropped here. katex-init.js also defines a MathJax stand-in, which keeps
the loader harmless should this pattern ever stop matching.
"""

import re

from mkdocs.plugins import event_priority

LOADER = re.compile(r"<script data-mkdocs-jupyter-mathjax=[^>]*>.*?</script>\n?", re.DOTALL)


@event_priority(-100)  # after mkdocs-jupyter has added the loader
def on_post_page(output, page, config, **kwargs):
    return LOADER.sub("", output)
