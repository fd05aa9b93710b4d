"""``--verify-build``: build the image twice, stream-diff the two, explain every difference.

Modules, in the order a run uses them (``command.run`` is the entry point):

* ``daemon``          connect like the docker CLI (DOCKER_HOST, docker contexts)
* ``context_archive`` the build context as a tar (``.dockerignore``; ``--vary`` shifts mtimes)
* ``build``           build requests and results, choosing the builder, stopping a build
* ``classic``         the classic builder over the Engine API (docker SDK)
* ``buildkit``        BuildKit through the docker CLI (buildx, or DOCKER_BUILDKIT=1)
* ``cleanup``         remove exactly the containers and images the run created
* ``export``          ``docker save`` as a byte stream, nothing on disk
* ``archive``, ``layers``, ``diff``  read both streams and compare layers, entries, config
* ``attribute``       image layer -> Dockerfile instruction (history + our parser)
* ``catalogue``       the causes: ids, titles, fixes, preventing lint rules (``CAUSES.md``);
                      imports nothing from the diff, so lint rules may use its ids
* ``causes``          classify differences into those causes
* ``summary``         verdict and per-layer table under the tty findings

Nothing here is imported on the lint path: the CLI imports ``command`` only
for ``--verify-build``.
"""
