"""Script variants of a report: Simplified, Traditional with Taiwan phrasing, mirror-site artefacts.

Conversion runs piece by piece (see `doc.Piece`), so span offsets are recomputed from the converted
pieces and stay exact even where OpenCC changes a phrase's length (`门户网站` → `入口網站`).
"""

from __future__ import annotations

import random
from dataclasses import replace
from functools import cache

import opencc

from training.synth.doc import Block, Piece, map_pieces, merge_plain

SCRIPTS: tuple[str, ...] = ("simplified", "traditional", "mirror")

# Readings a mirror site inserts after Traditional characters (`業(yè)務(wù)`, seed 004). A small
# built-in table of characters common in these reports; no network, no pinyin package.
_PINYIN_TABLE = """
業yè 務wù 區qū 認rèn 實shí 網wǎng 國guó 領lǐng 導dǎo 進jìn 強qiáng 們men 發fā 與yǔ 關guān
於yú 這zhè 為wèi 來lái 對duì 時shí 個gè 說shuō 過guò 動dòng 會huì 經jīng 現xiàn 門mén 問wèn
題tí 見jiàn 長zhǎng 處chù 點diǎn 辦bàn 設shè 計jì 總zǒng 數shù 據jù 統tǒng 級jí 報bào 記jì
還hái 從cóng 層céng 條tiáo 規guī 請qǐng 應yīng 議yì 訴sù 複fù 復fù 審shěn 結jié 轉zhuǎn
決jué 責zé 職zhí 構gòu 機jī 歸guī 屬shǔ 護hù 權quán 費fèi 項xiàng 單dān 專zhuān 種zhǒng
類lèi 際jì 組zǔ 織zhī 員yuán 參cān 訪fǎng 談tán 傳chuán 郵yóu 話huà 線xiàn 圖tú 書shū
檔dàng 劃huà 標biāo 準zhǔn 質zhì 聯lián 係xì 貫guàn 徹chè 監jiān 檢jiǎn 執zhí 證zhèng
體tǐ 環huán 節jié 眾zhòng 衛wèi 療liáo 醫yī 藥yào 學xué 興xìng 優yōu 勢shì 營yíng 運yùn
險xiǎn 產chǎn 濟jì 財cái 預yù 稅shuì 價jià 採cǎi 購gòu 額é 萬wàn 億yì 許xǔ 罰fá 徵zhēng
獲huò 蓋gài 確què 勵lì 勞láo 鎮zhèn 縣xiàn 鄉xiāng 廳tīng 紀jì 廉lián 潔jié 態tài 載zài
號hào 調diào 觀guān 歷lì 難nán 負fù 擔dān 當dāng 開kāi 處chǔ 響xiǎng 隊duì 伍wǔ 舉jǔ
則zé 觸chù 範fàn 圍wéi 獨dú 辭cí 養yǎng 聽tīng 讀dú 覽lǎn 錄lù 庫kù 廣guǎng 東dōng
車chē 軟ruǎn 電diàn 腦nǎo 幾jǐ 後hòu 裡lǐ 麼me 樣yàng 舊jiù 據jù 嚴yán 緊jǐn 變biàn
態tài 紐niǔ 務wù 評píng 價jià 訂dìng 慮lǜ 驗yàn 誤wù 賴lài 順shùn 屆jiè 囑zhǔ 補bǔ
補bǔ 費fèi 減jiǎn 質zhì 繳jiǎo 續xù 辦bàn 編biān 製zhì 範fàn 證zhèng 據jù 訊xùn 頻pín
週zhōu 衝chōng 漸jiàn 遞dì 溝gōu 協xié 調tiáo 滿mǎn 備bèi 維wéi 準zhǔn 確què 細xì
"""


@cache
def pinyin_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for item in _PINYIN_TABLE.split():
        table.setdefault(item[0], item[1:])
    return table


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


@cache
def _convert(config: str, text: str) -> str:
    return _converter(config).convert(text)


# Full-width punctuation that mirror copies and many plain-text exports print as ASCII.
_ASCII_PUNCT = str.maketrans({"，": ",", "：": ":", "（": "(", "）": ")", "；": ";", "！": "!", "？": "?"})


def ascii_punctuation(pieces: list[Piece]) -> list[Piece]:
    """Same-length replacement of full-width punctuation by ASCII (`（一）` → `(一)`)."""
    return [replace(p, text=p.text.translate(_ASCII_PUNCT)) for p in pieces]


_FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


def fullwidth_digits(pieces: list[Piece]) -> list[Piece]:
    """Same-length replacement of ASCII digits by full-width ones (`342件` → `３４２件`)."""
    return [replace(p, text=p.text.translate(_FULLWIDTH_DIGITS)) for p in pieces]


def _with_readings(simplified: str, traditional: str, rng: random.Random, rate: float) -> list[str]:
    """Characters of `traditional`, each possibly followed by its reading in brackets."""
    table = pinyin_table()
    chars: list[str] = []
    same_length = len(simplified) == len(traditional)
    for i, char in enumerate(traditional):
        reading = table.get(char)
        changed = not same_length or simplified[i] != char
        if reading and changed and rng.random() < rate:
            chars.append(f"{char}({reading})")
        else:
            chars.append(char)
    return chars


def convert_pieces(
    pieces: list[Piece],
    script: str,
    rng: random.Random,
    *,
    reading_rate: float = 0.8,
    mirror_config: str = "s2tw",
) -> list[Piece]:
    """Convert one paragraph's or cell's pieces to `script`.

    In `mirror`, a reading after the last character of a labelled piece is moved outside the span,
    so spans end on a character, as `normalize` maps them back (`業務(wù)` → span `業務`).
    """
    if script == "simplified":
        return pieces
    if script == "traditional":
        return [replace(p, text=_convert("s2twp", p.text)) for p in merge_plain(pieces)]
    if script != "mirror":
        raise ValueError(f"unknown script {script!r}; expected one of {SCRIPTS}")
    out: list[Piece] = []
    for piece in merge_plain(pieces):
        traditional = _convert(mirror_config, piece.text)
        chars = _with_readings(piece.text, traditional, rng, reading_rate)
        if piece.label is None:
            out.append(Piece("".join(chars)))
            continue
        last = chars[-1]
        trailing = ""
        if len(last) > 1:
            chars[-1], trailing = last[0], last[1:]
        out.append(replace(piece, text="".join(chars)))
        if trailing:
            out.append(Piece(trailing))
    return out


def convert_blocks(blocks: list[Block], script: str, rng: random.Random) -> list[Block]:
    """Convert every piece; mirror copies use Taiwan-standard characters (為, 眾) or OpenCC's (爲, 衆)."""
    rate = rng.uniform(0.55, 1.0)
    config = "s2tw" if rng.random() < 0.7 else "s2t"
    return map_pieces(
        blocks, lambda pieces: convert_pieces(pieces, script, rng, reading_rate=rate, mirror_config=config)
    )
