module gotv/samples

go 1.19
