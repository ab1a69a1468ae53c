"""The logic behind each lesson page, computed here so the pages only draw."""
