module github.com/seed42f0b14b/ghactions

go 1.24
