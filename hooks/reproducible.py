"""Make two builds of the same sources identical, byte for byte.

MkDocs stamps every page in sitemap.xml with the build date (and sitemap.xml.gz with the build
time) unless SOURCE_DATE_EPOCH is set. When it is not set, use the time of the last git commit:
the date then belongs to the sources, not to the moment of the build.
"""

import logging
import os
import subprocess

log = logging.getLogger("mkdocs.hooks.reproducible")


def on_config(config, **kwargs):
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return
    try:
        stamp = subprocess.run(
            ["git", "log", "-1", "--format=%ct"],
            cwd=os.path.dirname(config.config_file_path),
            capture_output=True, text=True, check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        log.info("no git history: sitemap dates are today's (set SOURCE_DATE_EPOCH to fix them)")
        return
    if stamp.isdigit():
        os.environ["SOURCE_DATE_EPOCH"] = stamp
