"""The certificates app's admin: the Certificates menu's ViewSets (issued
certificates, designs) and their views (revoke, re-issue, a design's sample PDF).
``certificates.wagtail_hooks`` registers them."""
