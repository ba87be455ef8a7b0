"""Sphinx configuration of the series' web site (scripts/build_site.py copies it into the source)."""

project = "rawnn: backpropagation from scratch"
html_title = project
extensions = ["myst_nb", "sphinx-mathjax-offline"]   # MathJax 3 served from the site itself
nb_execution_mode = "off"                              # the stored outputs, never re-executed
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3                               # GitHub's anchors: #the-notebooks
html_theme = "sphinx_book_theme"
html_theme_options = {"show_toc_level": 2, "use_download_button": False, "use_fullscreen_button": False}
html_last_updated_fmt = None
html_copy_source = False
html_show_sourcelink = False
exclude_patterns = ["_build"]
html_context = {"default_mode": "light"}                # the theme logs an error without one
