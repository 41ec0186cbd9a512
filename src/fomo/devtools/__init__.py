"""Development tools that are not part of the production services: the fake inference server
(:mod:`fomo.devtools.dev_upstream`) and its mount on dev chains. Nothing in ``fomo.gateway``
imports this package; the CLI, the runtime (dev chains only), the demo, tests and benches do."""
