"""The admin command line (``counter-admin``): a public interface, documented in docs/cli.md."""
