// The bilingual lexicon: entity names in every script, kinds, dictionary
// translations and their precision rules, the '?' mark, errors in the entity
// file, and the shipped entity file and converted dictionary.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include <xinwen/errors.h>
#include <xinwen/lexicon.h>

#include "test_util.h"

using namespace xinwen;
using xinwen::test::TempDir;

namespace {

const char* kEntities = R"(# a small entity file for the tests
[kind bank]
words = bank, banks, lender, 银行, 銀行

[kind chipmaker]
words = chipmaker, chipmakers, 芯片商, 晶片商

[kind central-bank]
words = central bank, central banks, 央行

[entity nvidia]
kind = chipmaker
en = Nvidia, Nvidia Corp
zh-hans = 英伟达
zh-hant = 輝達
tickers = NVDA

[entity fed]
kind = central-bank
en = Federal Reserve, Fed?
zh-hans = 美联储
zh-hant = 聯準會

[entity standard-chartered]
kind = bank
en = Standard Chartered, Standard Chartered Bank, StanChart
zh-hans = 渣打, 渣打银行
zh-hant = 渣打, 渣打銀行
tickers = 2888.HK, STAN.L

[entity hsbc]
kind = bank
en = HSBC
zh-hans = 汇丰
zh-hant = 滙豐, 匯豐
tickers = 0005.HK

[entity pboc]
kind = central-bank
en = People's Bank of China, PBOC
zh-hans = 中国人民银行, 央行?
zh-hant = 中國人民銀行, 央行?
related = fed
)";

// Headword, then glosses; ^ marks a proper noun (the make-lexicon format).
const char* kDictionary =
    "# a small dictionary table for the tests\n"
    "大豆\tsoybean\n"
    "黄豆\tsoybean\n"
    "毛豆\tgreen soybean\tedamame\n"
    "豆\tsoybean\tbean\n"
    "美联储\t^US Federal Reserve\n"
    "银行\tbank\n"
    "堤岸\tembankment\tlevee\tbank\n"
    "银行家\tbanker\n"
    "银团\tbank consortium\n"
    "上\tfirst\tclimb\tgo up\tattend\tup\ton\tabove\n"
    "一\tone\n"
    "甲\tshell\n"
    "乙\tshell\n"
    "丙\tshell\n"
    "外壳\tshell\n"
    "贝壳\tshell\n"
    "炮弹\tshell\n"
    "壳子\tshell\n"
    "弹壳\tshell\n"
    "稀土\trare earth\n";

struct Fixture {
  TempDir dir;
  Lexicon lexicon;
  Fixture() {
    test::spit(dir / "entities.ini", kEntities);
    test::spit(dir / "dict.tsv", kDictionary);
    lexicon = Lexicon::load(dir / "entities.ini", dir / "dict.tsv");
  }
};

std::vector<std::string> ids(const std::vector<EntityHit>& hits) {
  std::vector<std::string> out;
  for (const EntityHit& h : hits) out.push_back(h.entity->id);
  return out;
}

std::vector<std::string> texts(const std::vector<Translation>& ts) {
  std::vector<std::string> out;
  for (const Translation& t : ts) out.push_back(t.text);
  return out;
}

using Words = std::vector<std::string>;

std::string load_error(const std::string& text) {
  TempDir dir;
  test::spit(dir / "bad.ini", text);
  try {
    Lexicon::load(dir / "bad.ini", "");
  } catch (const UsageError& e) {
    std::string message = e.what();
    // The file's own path comes first; the rest is "LINE: message".
    return message.substr(message.find("bad.ini:") + 8);
  }
  return "no error";
}

}  // namespace

TEST_CASE("every name of an entity, in any script and case, leads to the same entity", "[lexicon]") {
  Fixture f;
  for (const char* name : {"英伟达", "輝達", "辉达", "Nvidia", "NVIDIA", "nvidia corp", "NVDA", "nvda"}) {
    INFO(name);
    CHECK(ids(f.lexicon.entity_of(name)) == std::vector<std::string>{"nvidia"});
  }
  CHECK(f.lexicon.entity_of("英伟").empty());
  CHECK(f.lexicon.entity_of("Nvidia Corporation").empty());
  // Names that fold alike (滙豐, 匯豐 and 汇丰) are one key.
  CHECK(ids(f.lexicon.entity_of("匯豐")) == std::vector<std::string>{"hsbc"});
  CHECK(ids(f.lexicon.entity_of("0005.HK")) == std::vector<std::string>{"hsbc"});
  auto ticker = f.lexicon.entity_of("NVDA");
  REQUIRE(ticker.size() == 1);
  CHECK(ticker[0].ticker);
  CHECK_FALSE(f.lexicon.entity_of("輝達")[0].ticker);

  const Entity* nvidia = f.lexicon.entity("nvidia");
  REQUIRE(nvidia);
  CHECK(nvidia->kinds == std::vector<std::string>{"chipmaker"});
  CHECK(nvidia->tickers == std::vector<std::string>{"NVDA"});
  std::vector<std::string> names;
  for (const EntityName& n : nvidia->names) names.push_back(n.script + ":" + n.text);
  CHECK(names == std::vector<std::string>{"en:Nvidia", "en:Nvidia Corp", "zh-hans:英伟达", "zh-hant:輝達"});
}

TEST_CASE("match_entity takes the longest name that starts at a word", "[lexicon]") {
  Fixture f;
  Words words{"shares", "of", "standard", "chartered", "bank", "and", "the", "federal", "reserve"};
  auto m = f.lexicon.match_entity(words, 2);
  CHECK(m.words == 3);  // "standard chartered bank", not "standard chartered"
  CHECK(ids(m.hits) == std::vector<std::string>{"standard-chartered"});
  m = f.lexicon.match_entity(words, 7);
  CHECK(m.words == 2);
  CHECK(ids(m.hits) == std::vector<std::string>{"fed"});
  CHECK(f.lexicon.match_entity(words, 0).words == 0);
  CHECK(f.lexicon.match_entity(words, 3).words == 0);
  CHECK(f.lexicon.match_entity(words, 99).words == 0);
  // A Han name matches however the analyzer cut it: 輝|達 and 英伟|达.
  m = f.lexicon.match_entity(Words{"辉", "达", "创下"}, 0);
  CHECK(m.words == 2);
  CHECK(ids(m.hits) == std::vector<std::string>{"nvidia"});
  CHECK(f.lexicon.match_entity(Words{"英伟", "达"}, 0).words == 2);
  // 渣打 alone, and 渣打银行 whole, when 银行 follows.
  CHECK(f.lexicon.match_entity(Words{"渣打", "股价"}, 0).words == 1);
  CHECK(f.lexicon.match_entity(Words{"渣打", "银行", "股价"}, 0).words == 2);
  // People's Bank of China: the analyzer drops the possessive.
  CHECK(ids(f.lexicon.entity_of("People's Bank of China")) == std::vector<std::string>{"pboc"});
  CHECK(f.lexicon.match_entity(Words{"people", "bank", "of", "china"}, 0).words == 4);
}

TEST_CASE("kind words lead to kinds, and kinds to their entities", "[lexicon]") {
  Fixture f;
  for (const char* word : {"banks", "bank", "Lender", "银行", "銀行"}) {
    INFO(word);
    auto kinds = f.lexicon.kind_of_word(word);
    REQUIRE(kinds.size() == 1);
    CHECK(kinds[0].kind->id == "bank");
  }
  CHECK(f.lexicon.kind_of_word("HSBC").empty());
  std::vector<std::string> banks;
  for (const Entity* e : f.lexicon.entities_of_kind("bank")) banks.push_back(e->id);
  CHECK(banks == std::vector<std::string>{"standard-chartered", "hsbc"});
  CHECK(f.lexicon.entities_of_kind("no-such-kind").empty());
  auto m = f.lexicon.match_kind(Words{"central", "banks", "cut"}, 0);
  CHECK(m.words == 2);
  REQUIRE(m.hits.size() == 1);
  CHECK(m.hits[0].kind->id == "central-bank");
}

TEST_CASE("names marked ? are loaded with the ambiguous flag", "[lexicon]") {
  Fixture f;
  auto fed = f.lexicon.entity_of("fed");
  REQUIRE(fed.size() == 1);
  CHECK(fed[0].entity->id == "fed");
  CHECK(fed[0].ambiguous);
  CHECK_FALSE(f.lexicon.entity_of("Federal Reserve")[0].ambiguous);
  // 央行 is marked in both scripts of one entity: still one hit, ambiguous.
  auto central = f.lexicon.entity_of("央行");
  REQUIRE(central.size() == 1);
  CHECK(central[0].entity->id == "pboc");
  CHECK(central[0].ambiguous);
  const Entity* e = f.lexicon.entity("fed");
  REQUIRE(e);
  auto name = std::find_if(e->names.begin(), e->names.end(), [](const EntityName& n) { return n.text == "Fed"; });
  REQUIRE(name != e->names.end());
  CHECK(name->ambiguous);
}

TEST_CASE("translations go both ways and only for whole glosses", "[lexicon]") {
  Fixture f;
  CHECK(texts(f.lexicon.translations("大豆")) == std::vector<std::string>{"soybean"});
  // Fewest meanings first; 豆 is one character (too broad) and 毛豆's gloss
  // is "green soybean", a longer gloss that only contains the word.
  CHECK(texts(f.lexicon.translations("soybean")) == std::vector<std::string>{"大豆", "黄豆"});
  CHECK(texts(f.lexicon.translations("green soybean")) == std::vector<std::string>{"毛豆"});
  // "bank" is 堤岸's third gloss: not among its main meanings.
  CHECK(texts(f.lexicon.translations("Bank")) == std::vector<std::string>{"银行"});
  CHECK(f.lexicon.translations("banker").size() == 1);
  CHECK(f.lexicon.translations("consortium").empty());
  // Traditional input folds to the simplified headword.
  CHECK(texts(f.lexicon.translations("美聯儲")) == std::vector<std::string>{"US Federal Reserve"});
  auto fed = f.lexicon.translations("us federal reserve");
  REQUIRE(fed.size() == 1);
  CHECK(fed[0].text == "美联储");
  CHECK(fed[0].proper);
  CHECK_FALSE(f.lexicon.translations("大豆")[0].proper);
  // A headword with more meanings than max_headword_glosses is not translated.
  CHECK(f.lexicon.translations("上").empty());
  auto m = f.lexicon.match_translation(Words{"rare", "earth", "exports"}, 0);
  CHECK(m.words == 2);
  CHECK(texts(m.hits) == std::vector<std::string>{"稀土"});
}

TEST_CASE("translation limits are parameters", "[lexicon]") {
  TempDir dir;
  test::spit(dir / "dict.tsv", kDictionary);
  // Five two-character headwords have "shell" as their only gloss.
  CHECK(Lexicon::load("", dir / "dict.tsv").translations("shell").size() == 3);
  LexiconOptions options;
  options.max_translations = 1;
  CHECK(Lexicon::load("", dir / "dict.tsv", options).translations("shell").size() == 1);
  options.max_translations = 10;
  CHECK(Lexicon::load("", dir / "dict.tsv", options).translations("shell").size() == 5);
  options.min_headword_chars = 1;
  CHECK(Lexicon::load("", dir / "dict.tsv", options).translations("shell").size() == 8);
  options.max_gloss_rank = 3;
  CHECK(texts(Lexicon::load("", dir / "dict.tsv", options).translations("bank")) ==
        std::vector<std::string>{"银行", "堤岸"});
  options.max_headword_glosses = 7;
  CHECK(Lexicon::load("", dir / "dict.tsv", options).translations("上").size() == 7);
}

TEST_CASE("an empty lexicon finds nothing", "[lexicon]") {
  Lexicon empty;
  CHECK(empty.entity_of("Nvidia").empty());
  CHECK(empty.translations("soybean").empty());
  CHECK(empty.match_entity(Words{"nvidia"}, 0).words == 0);
  CHECK(empty.dictionary_headwords() == 0);
}

TEST_CASE("keys join Han words without a space and other words with one", "[lexicon]") {
  CHECK(Lexicon::key_of("Federal   Reserve") == "federal reserve");
  CHECK(Lexicon::key_of("輝達") == "辉达");
  CHECK(Lexicon::key_of("SK海力士") == "sk 海力士");
  CHECK(Lexicon::key_of("0700.HK") == "0700 hk");
  CHECK(Lexicon::key_of_words(Words{"辉", "达", "nvda", "股价"}) == "辉达 nvda 股价");
}

TEST_CASE("a malformed entity file is a UsageError naming the line", "[lexicon]") {
  const std::string head = "[kind bank]\nwords = bank, 银行\n";
  CHECK(load_error(head + "[entity x]\nkind = bank\nen = X\n") == "no error");
  CHECK(load_error(head + "[entity x]\nkind = bank\nen = X\nfoo = y\n").starts_with("6: unknown key 'foo'"));
  CHECK(load_error(head + "[entity x]\nkind = bank, bank-ish\nen = X\n").starts_with("4: kind 'bank-ish'"));
  CHECK(load_error(head + "[entity x]\nkind = bank\nen = X,, Y\n").starts_with("5: 'en' has an empty"));
  CHECK(load_error(head + "[entity x]\nkind = bank\nen = X\nzh-hans = Xi\n").starts_with("6: Chinese name 'Xi'"));
  CHECK(load_error(head + "[entity x]\nkind = bank\nen = X\ntickers = nvda\n").starts_with("6: ticker 'nvda'"));
  CHECK(load_error(head + "[entity x]\nkind = bank\nen = X\n[entity x]\nkind = bank\nen = Y\n")
            .starts_with("6: duplicate id 'x'"));
  CHECK(load_error(head + "[entity X]\n").starts_with("3: id 'X'"));
  CHECK(load_error(head + "\n\n[entity x]\nkind = bank\n").starts_with("5: [entity x] has no 'en'"));
  CHECK(load_error(head + "[entity x]\nkind = bank\nen = X?Y\n").starts_with("5: name 'X?Y'"));
  CHECK(load_error("words = bank\n").starts_with("1: key 'words' outside"));
  CHECK(load_error("[kind bank]\nwords = bank\n").starts_with("2: [kind bank] needs English and Chinese"));
}

TEST_CASE("scripts/check-entities rejects what the loader rejects, on the same line", "[lexicon]") {
  if (std::system("python3 --version >/dev/null 2>&1") != 0) test::skip_test("python3 is not installed");
  TempDir dir;
  const std::string head = "[kind bank]\nwords = bank, 银行\n";
  for (const std::string& text :
       {head + "[entity x]\nkind = bank\nen = X\nfoo = y\n", head + "[entity x]\nkind = bank\nen = X\nzh-hans = Xi\n",
        head + "[entity x]\nkind = bank\nen = X\ntickers = nvda\n"}) {
    test::spit(dir / "bad.ini", text);
    std::string line = load_error(text).substr(0, 2);  // "6:"
    auto r = test::run("python3 " + std::string(XINWEN_SOURCE_DIR) + "/scripts/check-entities " + dir / "bad.ini");
    INFO(r.out);
    CHECK(r.status == 1);
    CHECK(r.out.find("bad.ini:" + line + " error") != std::string::npos);
  }
}

TEST_CASE("the shipped entity file loads: Nvidia has 輝達 and NVDA, HSBC is a bank", "[lexicon]") {
  Lexicon lexicon = Lexicon::load(std::string(XINWEN_SOURCE_DIR) + "/schema/entities.ini", "");
  CHECK(lexicon.entities().size() > 400);
  auto nvidia = lexicon.entity_of("輝達");
  REQUIRE(nvidia.size() == 1);
  CHECK(nvidia[0].entity->id == "nvidia");
  CHECK(ids(lexicon.entity_of("NVDA")) == std::vector<std::string>{"nvidia"});
  auto hsbc = lexicon.entity_of("HSBC");
  REQUIRE(hsbc.size() == 1);
  const auto& kinds = hsbc[0].entity->kinds;
  CHECK(std::find(kinds.begin(), kinds.end(), "bank") != kinds.end());
  auto banks = lexicon.entities_of_kind(lexicon.kind_of_word("banks").at(0).kind->id);
  CHECK(std::find(banks.begin(), banks.end(), hsbc[0].entity) != banks.end());
}

TEST_CASE("the converted CC-CEDICT translates 大豆 and 美联储", "[lexicon]") {
  const std::string table = XINWEN_LEXICON_TABLE;
  if (!std::filesystem::exists(table))
    test::skip_test("the dictionary table was not built (run schema/dict/setup.sh, then build)");
  Lexicon lexicon = Lexicon::load("", table);
  CHECK(lexicon.dictionary_headwords() > 50000);
  auto soy = texts(lexicon.translations("大豆"));
  CHECK(std::find(soy.begin(), soy.end(), "soybean") != soy.end());
  auto dadou = texts(lexicon.translations("soybean"));
  CHECK(std::find(dadou.begin(), dadou.end(), "大豆") != dadou.end());
  // CC-CEDICT writes the Fed as "US Federal Reserve (Fed), the US central bank".
  auto fed = lexicon.translations("美聯儲");
  REQUIRE_FALSE(fed.empty());
  CHECK(fed[0].text == "US Federal Reserve");
  CHECK(fed[0].proper);
  auto meilianchu = texts(lexicon.translations("US Federal Reserve"));
  CHECK(std::find(meilianchu.begin(), meilianchu.end(), "美联储") != meilianchu.end());
  // Descriptions are not glosses: "NVIDIA, computer graphics card company".
  CHECK(texts(lexicon.translations("英伟达")) == std::vector<std::string>{"NVIDIA"});
}
