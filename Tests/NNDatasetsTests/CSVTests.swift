import XCTest

@testable import NNDatasets

final class CSVTests: XCTestCase {
    func testHeaderNamedLabelAndStringClasses() throws {
        let t = try TempFolder()
        let p = try t.write(
            "flowers.csv",
            text: """
                # a comment line
                width, height ,species
                1.5,2,"virginica"
                2,3.25,setosa\r

                3,-1e-2,virginica
                """)
        let d = try CSV.load(CSVOptions(path: p, header: true, target: .label(.name("species"))))
        XCTAssertEqual(d.count, 3)
        XCTAssertEqual(d.dimension, 2)
        XCTAssertEqual(d.features, [1.5, 2, 2, 3.25, 3, -0.01])
        XCTAssertEqual(d.classNames, ["setosa", "virginica"])  // sorted, independent of row order
        XCTAssertEqual(d.labels, [1, 0, 1])
        XCTAssertEqual(d.name, "flowers")
    }

    func testNumericLabelsKeepTheirOrderAndDelimiter() throws {
        let t = try TempFolder()
        let p = try t.write("n.tsv", text: "2\t0.5\t9\n10\t1\t8\n1\t2\t7\n")
        let d = try CSV.load(CSVOptions(path: p, header: false, delimiter: "\t", target: .label(.index(0))))
        XCTAssertEqual(d.classNames, ["1", "2", "10"])  // numeric order, not text order
        XCTAssertEqual(d.labels, [1, 2, 0])
        XCTAssertEqual(d.features, [0.5, 9, 1, 8, 2, 7])
    }

    func testRegressionTargets() throws {
        let t = try TempFolder()
        let p = try t.write("r.csv", text: "a;b;y1;y2\n1;2;3;4\n5;6;7;8\n")
        let d = try CSV.load(
            CSVOptions(path: p, header: true, delimiter: ";", target: .values([.name("y1"), .index(-1)])))
        XCTAssertEqual(d.features, [1, 2, 5, 6])
        XCTAssertEqual(d.targets, .values([3, 4, 7, 8], dimension: 2))
    }

    func testGzipCSV() throws {
        let t = try TempFolder()
        let p = try t.write("g.csv.gz", gzipped(Array("1,2,0\n3,4,1\n".utf8)))
        XCTAssertEqual(try CSV.load(CSVOptions(path: p, header: false)).labels, [0, 1])
    }

    func testRaggedRowNamesFileAndLine() throws {
        let t = try TempFolder()
        let p = try t.write("bad.csv", text: "a,b,c\n1,2,0\n\n3,4\n")
        assertDatasetError(["\(p):4:", "ragged row", "2 fields", "expected 3"]) {
            _ = try CSV.load(CSVOptions(path: p))
        }
    }

    func testNonNumericFeatureNamesLineAndColumn() throws {
        let t = try TempFolder()
        let p = try t.write("bad.csv", text: "1,2,a\n3,x4,b\n")
        assertDatasetError(["\(p):2:2:", "non-numeric", "\"x4\""]) {
            _ = try CSV.load(CSVOptions(path: p, header: false))
        }
        let e = try t.write("empty.csv", text: "1,,a\n")
        assertDatasetError(["\(e):1:2:", "empty field"]) { _ = try CSV.load(CSVOptions(path: e, header: false)) }
    }

    /// Quoted fields follow RFC 4180 through the shared tokenizer (`CSVRecords`): a label may hold the
    /// delimiter or a line end, later lines keep their own numbers, and a quote left open names the line
    /// it opens on.
    func testQuotedLabelsAcrossLinesAndAnOpenQuote() throws {
        let t = try TempFolder()
        let p = try t.write("q.csv", text: "x,label\n1,\"a, b\"\n2,\"two\nlines\"\n3,c\nz,c\n")
        assertDatasetError(["\(p):6:1:", "non-numeric", "\"z\""]) { _ = try CSV.load(CSVOptions(path: p)) }
        let ok = try t.write("ok.csv", text: "x,label\n1,\"a, b\"\n2,\"two\nlines\"\n3,c\n")
        let d = try CSV.load(CSVOptions(path: ok))
        XCTAssertEqual(d.features, [1, 2, 3])
        XCTAssertEqual(d.classNames, ["a, b", "c", "two\nlines"])
        let open = try t.write("open.csv", text: "x,label\n1,a\n2,\"b\n3,c\n")
        assertDatasetError(["\(open):3: unterminated quoted field"]) { _ = try CSV.load(CSVOptions(path: open)) }
    }

    func testLabelColumnOutOfRangeAndUnknownName() throws {
        let t = try TempFolder()
        let p = try t.write("c.csv", text: "a,b\n1,0\n")
        assertDatasetError([p, "label column 5 is out of range", "2 columns"]) {
            _ = try CSV.load(CSVOptions(path: p, target: .label(.index(5))))
        }
        assertDatasetError([p, "no column named \"z\"", "a, b"]) {
            _ = try CSV.load(CSVOptions(path: p, target: .label(.name("z"))))
        }
        assertDatasetError([p, "no feature columns"]) {
            _ = try CSV.load(CSVOptions(path: p, target: .values([.index(0), .index(1)])))
        }
        assertDatasetError(["nope.csv", "not found"]) { _ = try CSV.load(CSVOptions(path: t.file("nope.csv"))) }
    }

    func testSeparateTestFileSharesClassNumbering() throws {
        let t = try TempFolder()
        let train = try t.write("train.csv", text: "1,cat\n2,dog\n3,emu\n")
        let test = try t.write("test.csv", text: "4,emu\n5,cat\n")
        let s = try DatasetLoader.build(
            DatasetConfig(source: .csv(CSVOptions(path: train, header: false), testPath: test)), seed: 0)
        XCTAssertEqual(s.test?.classNames, ["cat", "dog", "emu"])
        XCTAssertEqual(s.test?.labels, [2, 0])
        let odd = try t.write("odd.csv", text: "4,yak\n")
        assertDatasetError([odd, "class \"yak\" does not occur in the training data"]) {
            _ = try DatasetLoader.build(
                DatasetConfig(source: .csv(CSVOptions(path: train, header: false), testPath: odd)), seed: 0)
        }
    }
}
