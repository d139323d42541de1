"""Speed and quality figures, each printed beside a baseline measured in the same run (`make bench`)."""
